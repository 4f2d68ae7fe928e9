package endpoints

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocsCurrent fails when docs/endpoints.md is not what the table
// generates (run "go generate ./internal/endpoints").
func TestDocsCurrent(t *testing.T) {
	got, err := os.ReadFile("../../docs/endpoints.md")
	require.NoError(t, err)
	assert.Equal(t, string(Markdown()), string(got), "docs/endpoints.md is stale: run go generate ./internal/endpoints")
}

func TestConstNamesCoverTable(t *testing.T) {
	assert.Len(t, constNames, len(All))
	for _, e := range All {
		assert.NotEmpty(t, ConstName(e.Name), e.Name)
	}
}

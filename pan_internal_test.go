package inexopay

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/answer"
)

// TestPANAnswerIsHTMLDecoder: answer.Decode finds the HTML form page
// decoder through a run-time interface check, so a drifted DecodeHTML
// signature would silently skip the PAN form page.
func TestPANAnswerIsHTMLDecoder(t *testing.T) {
	var a any = &panAnswer{}
	_, ok := a.(answer.HTMLDecoder)
	require.True(t, ok)
}

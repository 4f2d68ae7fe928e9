package otelinexopay_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocsSnippetIsTheExample keeps each Go block of docs/opentelemetry.md
// equal to the lines between the next pair of docs markers in
// example_test.go, so that the documented code compiles and runs.
func TestDocsSnippetIsTheExample(t *testing.T) {
	const begin, end = "\t// docs:begin\n", "\t// docs:end\n"
	src, err := os.ReadFile("example_test.go")
	require.NoError(t, err)
	var want []string
	for s := string(src); strings.Contains(s, begin); {
		i := strings.Index(s, begin) + len(begin)
		j := strings.Index(s, end)
		require.Greater(t, j, i, "a docs:end after each docs:begin")
		var lines []string
		for _, l := range strings.Split(strings.TrimSuffix(s[i:j], "\n"), "\n") {
			lines = append(lines, strings.TrimPrefix(l, "\t"))
		}
		want = append(want, strings.Join(lines, "\n")+"\n")
		s = s[j+len(end):]
	}
	doc, err := os.ReadFile("../docs/opentelemetry.md")
	require.NoError(t, err)
	var got []string
	for d := string(doc); strings.Contains(d, "```go\n"); {
		k := strings.Index(d, "```go\n") + len("```go\n")
		n := strings.Index(d[k:], "```")
		require.GreaterOrEqual(t, n, 0)
		got = append(got, d[k:k+n])
		d = d[k+n+3:]
	}
	require.Len(t, want, 2)
	assert.Equal(t, want, got)
}

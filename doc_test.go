package inexopay_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goBlocks returns the ```go blocks of a Markdown file.
func goBlocks(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	s := string(b)
	for {
		i := strings.Index(s, "```go\n")
		if i < 0 {
			return blocks
		}
		s = s[i+len("```go\n"):]
		j := strings.Index(s, "```\n")
		if j < 0 {
			t.Fatalf("%s: a ```go block is not closed", path)
		}
		blocks = append(blocks, s[:j])
		s = s[j:]
	}
}

// codeLines drops indentation and blank lines, so that a snippet matches
// the same code indented inside a function.
func codeLines(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Every Go snippet of the README and of docs/ is code that a test
// compiles: it appears, line for line, in a _test.go file of the module
// (an Example, most of the time), so a change of the API that breaks a
// snippet breaks the build of the tests.
func TestDocSnippetsAreCompiled(t *testing.T) {
	var sources strings.Builder
	for _, pattern := range []string{"*_test.go", "*/*_test.go", "examples/*/*.go"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sources.WriteString(codeLines(string(b)))
		}
	}
	all := sources.String()
	docs, err := filepath.Glob("docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range append([]string{"README.md"}, docs...) {
		for i, block := range goBlocks(t, doc) {
			if !strings.Contains(all, codeLines(block)) {
				t.Errorf("%s: Go snippet %d is not in any test file, so nothing compiles it:\n%s", doc, i+1, block)
			}
		}
	}
}

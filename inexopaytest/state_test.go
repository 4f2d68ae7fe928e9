package inexopaytest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/validate"
)

// The API document's sample Aadhaar number passes the check digit and may
// belong to a real person. It may appear only in the fixtures that replay
// the document's answers; everything else (quick start, sandbox, examples,
// docs, tests) uses SandboxAadhaar. It is spelled here in parts, so that
// this file does not hold it.
var docAadhaar = strings.Join([]string{"4410", "0335", "6445"}, "")

// docAadhaarAllowed are the files that replay the document's answers.
func docAadhaarAllowed(rel string) bool {
	rel = filepath.ToSlash(rel)
	return strings.HasPrefix(rel, "testdata/responses/") ||
		strings.HasPrefix(rel, "testdata/fuzz/FuzzDecodeAnswer/doc_")
}

// docAadhaarPattern matches the number with any separators (spaces,
// hyphens, dots, underscores, slashes, zero-width spaces) between its
// digits; digits of other scripts are folded to ASCII first.
var docAadhaarPattern = func() *regexp.Regexp {
	var b strings.Builder
	for i, d := range docAadhaar {
		if i > 0 {
			b.WriteString(`[\s\-._/\x{200b}\x{200c}\x{200d}\x{2060}]{0,3}`)
		}
		b.WriteRune(d)
	}
	return regexp.MustCompile(b.String())
}()

func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		if r > unicode.MaxASCII && unicode.IsDigit(r) {
			for zero := r; zero >= r-9; zero-- {
				if !unicode.IsDigit(zero - 1) {
					return '0' + (r - zero)
				}
			}
		}
		return r
	}, s)
}

func TestDocumentSampleAadhaarOnlyInDocumentFixtures(t *testing.T) {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(root, "go.mod"))
	require.NoError(t, err, "the module root is the parent of inexopaytest")
	assert.Empty(t, validate.Aadhaar(SandboxAadhaar), "SandboxAadhaar passes the SDK's check")
	assert.Empty(t, validate.PAN(SandboxPAN))
	assert.NotEqual(t, docAadhaar, SandboxAadhaar)

	var found []string
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if docAadhaarAllowed(rel) || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Size() > 8<<20 {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if docAadhaarPattern.MatchString(foldDigits(string(b))) {
			found = append(found, filepath.ToSlash(rel))
		}
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, found, "the API document's sample Aadhaar number appears outside testdata/responses: use SandboxAadhaar")

	// The pattern finds it in each spelling the tests used to carry, built
	// here from docAadhaar.
	group := func(sep string) string { return docAadhaar[:4] + sep + docAadhaar[4:8] + sep + docAadhaar[8:] }
	shift := func(zero rune) string {
		return strings.Map(func(r rune) rune { return zero + (r - '0') }, docAadhaar)
	}
	for _, s := range []string{docAadhaar, group(" "), group("-"), group("\u200b"), shift('०'), shift('０')} {
		assert.True(t, docAadhaarPattern.MatchString(foldDigits(s)), s)
	}
}

// Order ids are ASCII: the sandbox finds an order by its id in any ASCII
// case, as the SDK compares them, and never by a Unicode fold of it.
func TestIDKeyFoldsASCIIOnly(t *testing.T) {
	assert.Equal(t, idKey("WALSK1"), idKey("walSk1"))
	for _, other := range []string{"WALS\u212a1", "WAL\u017fK1", "ＷＡＬＳＫ1"} {
		assert.NotEqual(t, idKey("WALSK1"), idKey(other), other)
	}
}

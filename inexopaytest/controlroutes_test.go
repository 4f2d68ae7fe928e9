package inexopaytest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A control refuses a bad value by naming the parameter and what it takes.
func TestControlsNameTheBadParameter(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, tc := range []struct {
		path  string
		form  url.Values
		words []string
	}{
		{"/sandbox/control/balance", url.Values{"amount": {"abc"}}, []string{"amount", "such as 1000"}},
		{"/sandbox/control/balance", url.Values{"amount": {"10.555"}}, []string{"amount", "paisa"}},
		{"/sandbox/control/balance", url.Values{}, []string{"amount", "required"}},
		{"/sandbox/control/account_status", url.Values{}, []string{"status", "required"}},
		{"/sandbox/control/aadhaar/otp", url.Values{}, []string{"request_id", "required"}},
		{"/sandbox/control/wallet/complete", url.Values{}, []string{"order_id", "required"}},
	} {
		resp, err := http.PostForm(s.URL+tc.path, tc.form)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s %v", tc.path, tc.form)
		var ans struct {
			Status  bool   `json:"status"`
			Message string `json:"message"`
		}
		require.NoError(t, json.Unmarshal(body, &ans), string(body))
		for _, w := range tc.words {
			assert.Contains(t, ans.Message, w, "%s %v", tc.path, tc.form)
		}
		assert.NotContains(t, ans.Message, "missing or invalid parameter")
	}
}

// docs/sandbox.md has a row for every control, with its method, path and
// fields, so that the table cannot drift from the routes.
func TestSandboxDocListsEveryControl(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "sandbox.md"))
	require.NoError(t, err)
	doc := string(b)
	s := NewServer()
	defer s.Close()
	for _, c := range s.controlTable() {
		row := "| `" + c.method + "` | `" + c.path + "` |"
		i := strings.Index(doc, row)
		if !assert.GreaterOrEqual(t, i, 0, "docs/sandbox.md lacks the row %s", row) {
			continue
		}
		line, _, _ := strings.Cut(doc[i:], "\n")
		for _, f := range c.fields {
			assert.Contains(t, line, "`"+f.name+"`", c.path)
		}
	}
}

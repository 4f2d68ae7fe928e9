package inexopaytest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An unknown path is answered as the API answers a failure: JSON with
// status_code, status and message, and HTTP 404.
func TestUnknownPathAnswersAPIJSON(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/no/such/page"},
		{http.MethodPost, "/api/v9/nothing.php"},
		{http.MethodPost, "/sandbox/control/nope"},
		{http.MethodGet, "/favicon.ico"},
	} {
		req, err := http.NewRequest(tc.method, s.URL+tc.path, strings.NewReader("a=1"))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, tc.path)
		assert.Contains(t, resp.Header.Get("Content-Type"), "application/json", tc.path)
		var ans struct {
			StatusCode int    `json:"status_code"`
			Status     string `json:"status"`
			Message    string `json:"message"`
		}
		require.NoError(t, json.Unmarshal(body, &ans), "%s: %s", tc.path, body)
		assert.Equal(t, 404, ans.StatusCode)
		assert.Equal(t, "FAILED", ans.Status)
		assert.Contains(t, ans.Message, "GET /", "the message says where the endpoints are listed")
	}
}

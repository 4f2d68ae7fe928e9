package inexopaytest

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An unknown path is answered as a PHP framework answers a route it does
// not have: HTTP 404 with JSON that has only a message, no failure marker,
// so that no client reads it as the API's refusal (a "not found" order).
func TestUnknownPathAnswersRouteNotFound(t *testing.T) {
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
		var ans map[string]any
		require.NoError(t, json.Unmarshal(body, &ans), "%s: %s", tc.path, body)
		assert.Equal(t, []string{"message"}, slices.Sorted(maps.Keys(ans)), "%s: %s", tc.path, body)
		assert.Contains(t, ans["message"], "GET /", "the message says where the endpoints are listed")
	}
}

// A call sent to a path the sandbox does not serve is no refusal: the
// order it names is not "not found", the answer is unusable.
func TestUnknownPathIsNoRefusal(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c, err := inexopay.NewClient(inexopay.BodyAuth(s.APIKey, s.Username), inexopay.WithBaseURL(s.URL),
		inexopay.WithPath(inexopay.EndpointPANStatus, "/api/nsdl-pan/v1/no_such_status.php"))
	require.NoError(t, err)
	_, err = c.PAN.Status(context.Background(), "PAN-FILED-1")
	require.Error(t, err)
	assert.NotErrorIs(t, err, inexopay.ErrNotFound)
	assert.ErrorIs(t, err, inexopay.ErrServer)
}

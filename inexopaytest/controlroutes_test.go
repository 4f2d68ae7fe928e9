package inexopaytest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
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

// Tests of the Server and its lifecycle (defaults, Start, Close), and the
// helpers the other test files share.

package inexopaytest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/validate"

	"github.com/inexopay/inexopay-go/internal/endpoints"
)

// TestMain fails the package when any test leaves a goroutine behind, such
// as a webhook delivery or a handler still running after Close.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testAadhaar is a valid (Verhoeff-checked) Aadhaar number.
var testAadhaar = func() string {
	const body = "23456789012"
	return body + string(validate.VerhoeffDigit(body))
}()

// t0 is 2026-05-04 15:30:00 IST.
var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// rawPost posts form to e's path with the server's credentials in the body
// (unless the form sets api_key) and returns the HTTP status and body.
func rawPost(t *testing.T, s *Server, e inexopay.Endpoint, form url.Values) (int, string) {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["api_key"]; !set {
		form.Set("api_key", s.APIKey)
		form.Set("username", s.Username)
	}
	return rawDo(t, s, http.MethodPost, e, form.Encode(), nil)
}

func rawDo(t *testing.T, s *Server, method string, e inexopay.Endpoint, body string, hdr http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+endpoints.Paths[inexopay.Endpoint]()[e], strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode == http.StatusMethodNotAllowed {
		assert.Equal(t, "POST", resp.Header.Get("Allow"))
	}
	return resp.StatusCode, string(b)
}

func TestDefaults(t *testing.T) {
	s := newServer(t)
	assert.True(t, strings.HasPrefix(s.URL, "http://127.0.0.1:"), s.URL)
	assert.Equal(t, "sandbox", s.Username)
	require.True(t, strings.HasPrefix(s.APIKey, "sandbox_key_"))
	assert.Len(t, s.APIKey, len("sandbox_key_")+32)
	assert.Equal(t, inexopay.Rupees(1000), s.Balance())
	other := newServer(t)
	assert.NotEqual(t, s.APIKey, other.APIKey, "keys are random")

	b, err := s.Client().Account.Balance(context.Background())
	require.NoError(t, err)
	assert.Equal(t, &inexopay.Balance{Amount: inexopay.Rupees(1000), Username: "sandbox", Message: "Balance fetched successfully"}, b)
}

func TestStartErrors(t *testing.T) {
	s := newServer(t)
	_, err := Start(WithAddr(strings.TrimPrefix(s.URL, "http://")))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "inexopaytest: listening on")
	assert.Panics(t, func() { NewServer(WithAddr("256.0.0.1:0")) })
	assert.Panics(t, func() { s.ClientWithAuth(nil) })
	assert.True(t, errors.Is(s.CompletePAN("x"), ErrUnknownOrder))
}

// TestCloseEndsDelayedCalls proves Close does not wait out a FaultDelay:
// the handler stops sleeping and the caller gets an error.
func TestCloseEndsDelayedCalls(t *testing.T) {
	s := NewServer(WithAPIKey("k_close_test_99"))
	assert.Equal(t, "inexopaytest.Server("+s.URL+")", fmt.Sprint(s))
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", s, s, s), "k_close_test_99")
	s.InjectFault(inexopay.EndpointAccountBalance, Fault{Kind: FaultDelay, Delay: time.Hour}, 10)
	c := s.Client(inexopay.WithRetry(0, 0, 0))
	errc := make(chan error, 1)
	go func() {
		_, err := c.Account.Balance(context.Background())
		errc <- err
	}()
	require.Eventually(t, func() bool { return s.Requests(inexopay.EndpointAccountBalance) == 1 }, 5*time.Second, time.Millisecond)
	s.Close()
	assert.Error(t, <-errc)
}

// TestMethodCheck proves the one method check answers every kind of
// handler the same way: 405 with an Allow header listing exactly the
// methods the handler takes, and a method it takes gets past the check.
func TestMethodCheck(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		path, allow string
	}{
		{"/api/nsdl-pan/v1/pan_status.php", "POST"},
		{"/sandbox/control/fault", "POST"},
		{"/sandbox/control/wallet/complete?html=1", "POST"},
		{"/sandbox/control/requests", "GET, POST"},
		{"/sandbox/nsdl/pan?txid=none", "GET, POST"},
	} {
		for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodGet, http.MethodPost} {
			req, err := http.NewRequest(m, s.URL+tc.path, nil)
			require.NoError(t, err)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			_ = resp.Body.Close()
			if strings.Contains(tc.allow, m) {
				assert.NotEqual(t, http.StatusMethodNotAllowed, resp.StatusCode, "%s %s", m, tc.path)
				continue
			}
			assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "%s %s", m, tc.path)
			assert.Equal(t, tc.allow, resp.Header.Get("Allow"), "%s %s", m, tc.path)
		}
	}
}

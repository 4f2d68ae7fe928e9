package inexopay

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHosts: the default is the secure host; the mail host is https; the
// panel host is plain http and needs WithInsecureHTTP.
func TestHosts(t *testing.T) {
	assert.Equal(t, BaseURLSecure, DefaultBaseURL)
	auth := BodyAuth("h_key_0123456789", "huser")
	for _, base := range []string{BaseURLSecure, BaseURLMail} {
		c, err := NewClient(auth, WithBaseURL(base))
		require.NoError(t, err, base)
		assert.Equal(t, base, c.BaseURL())
	}
	_, err := NewClient(auth, WithBaseURL(BaseURLPanel))
	require.ErrorIs(t, err, ErrInvalidParams)
	c, err := NewClient(auth, WithBaseURL(BaseURLPanel), WithInsecureHTTP())
	require.NoError(t, err)
	assert.Equal(t, "http://panel.inexopay.in", c.BaseURL())
}

// ---- User-Agent ----

func TestEmptyUserAgentKeepsDefault(t *testing.T) {
	srv := newRelServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		relRespond(w, http.StatusOK, relSuccess[EndpointAccountBalance])
	})
	var got string
	c := relClient(t, srv.URL, WithUserAgent(""), WithHTTPClient(&http.Client{Transport: uaSpy{&got}}))
	_, err := c.Account.Balance(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "inexopay-go/"+Version, got)
}

type uaSpy struct{ got *string }

func (s uaSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	*s.got = r.Header.Get("User-Agent")
	return http.DefaultTransport.RoundTrip(r)
}

// ---- WithUserAgent and WithPath ----

func TestRequestUserAgentOverride(t *testing.T) {
	srv, seen := rqServe(t, "account_balance")
	c := fxClient(t, BodyAuth(rqKey, rqUser), srv.URL, WithUserAgent("acme-billing/2.3 (+ops@acme.example)"))
	_, err := c.Account.Balance(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "acme-billing/2.3 (+ops@acme.example)", rqOne(t, seen).header.Get("User-Agent"))
}

func TestRequestWithPathOverridesOneEndpoint(t *testing.T) {
	srv, seen := rqServe(t, "pan_status")
	c := fxClient(t, BodyAuth(rqKey, rqUser), srv.URL, WithPath(EndpointPANStatus, "/api/v2/pan/status.php"))
	_, err := c.PAN.Status(context.Background(), "ORD12345")
	require.NoError(t, err)
	assert.Equal(t, "/api/v2/pan/status.php", rqOne(t, seen).path)
	assert.Equal(t, srv.URL+"/api/v2/pan/status.php", c.urls[EndpointPANStatus])

	// Every other endpoint keeps its default.
	for e, p := range rqDefaultPaths {
		if e != EndpointPANStatus {
			assert.Equal(t, srv.URL+p, c.urls[e], e)
		}
	}
	// The server answers every call with a status answer, which has no
	// data.url: a charging call's outcome is then unknown.
	_, err = c.PAN.Resume(context.Background(), "ORD12345")
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, rqDefaultPaths[EndpointPANResume], rqOne(t, seen).path)
}

func TestRequestWithPathRejectsBadInput(t *testing.T) {
	_, err := NewClient(BodyAuth(rqKey, rqUser), WithPath("PAN.Nope", "/x.php"))
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "endpoint", ve.Field)
	_, err = NewClient(BodyAuth(rqKey, rqUser), WithPath(EndpointPANStatus, "x.php"))
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "path", ve.Field)
}

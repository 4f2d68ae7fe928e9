package inexopay

import (
	"context"
	"testing"

	iendpoints "github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- NewClient: default paths and the base URL ----

// rqDefaultPaths are the default paths of client.go, written out so that a
// change to them fails here.
var rqDefaultPaths = map[Endpoint]string{
	EndpointAccountStatus:        "/api/check_status.php",
	EndpointAccountBalance:       "/api/balance.php",
	EndpointOnboardAgent:         "/api/nsdl-bank/v1/onboarding.php",
	EndpointOpenAccount:          "/api/nsdl-bank/v1/account_open.php",
	EndpointBankAccountStatus:    "/api/nsdl-bank/v1/account_status.php",
	EndpointBankAccountDetails:   "/api/nsdl-bank/v1/account_details.php",
	EndpointIncompleteAccountURL: "/api/nsdl-bank/v1/incomplete_url.php",
	EndpointGenerateQR:           "/api/wallet/v1/load_request.php",
	EndpointPaymentStatus:        "/api/wallet/v1/check_status.php",
	EndpointPANRequest:           "/api/nsdl-pan/v1/request_pan.php",
	EndpointPANStatus:            "/api/nsdl-pan/v1/pan_status.php",
	EndpointPANResume:            "/api/nsdl-pan/v1/incomplete_pan.php",
	EndpointSendOTP:              "/api/aadhaar/v1/send_otp.php",
	EndpointVerifyOTP:            "/api/aadhaar/v1/verify_otp.php",
}

func TestRequestDefaultPathsTable(t *testing.T) {
	assert.Equal(t, rqDefaultPaths, iendpoints.Paths[Endpoint]())
	covered := map[Endpoint]bool{}
	for _, c := range rqCases {
		covered[c.e] = true
	}
	assert.Len(t, covered, len(rqDefaultPaths), "every endpoint has a request case")
}

func TestRequestBaseURLWithPathPrefix(t *testing.T) {
	for _, suffix := range []string{"/gateway/inexo", "/gateway/inexo/"} {
		srv, seen := rqServe(t, "account_status")
		c := fxClient(t, HeaderAuth(rqKey, rqUser), srv.URL+suffix)
		assert.Equal(t, srv.URL+"/gateway/inexo", c.BaseURL())
		_, err := c.Account.Status(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "/gateway/inexo/api/check_status.php", rqOne(t, seen).path, suffix)
	}
}

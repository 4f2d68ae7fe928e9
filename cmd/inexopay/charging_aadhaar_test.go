package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/internal/testkit"
)

// aadhaar-verify-otp against an API that echoes the Aadhaar number, the OTP
// and the API key it was sent in every string member prints none of them,
// in its human output or with -json; what holds no secret is printed.
func TestVerifyOTPOutputMasksEchoedSecrets(t *testing.T) {
	const key, otp = "ik_live_5Qz8Wm2Rt7Yp3Kx9", "482913"
	api := testkit.ServeEcho(t, func(r *http.Request) testkit.Answer {
		a := r.PostForm.Get("aadhaar_number")
		e, _ := json.Marshal("Asha " + a[:4] + "-" + a[4:8] + "-" + a[8:] + " " + r.PostForm.Get("otp") + " " + r.PostForm.Get("api_key"))
		return testkit.Answer{Body: `{"status":"success","message":` + string(e) + `,"data":{"request_id":"ADHR1","status":"verified",` +
			`"aadhaar_details":{"full_name":` + string(e) + `,"dob":` + string(e) + `,"gender":` + string(e) + `,"address":` +
			string(e) + `}},"meta":{"request_id":` + string(e) + `}}`}
	})
	env := map[string]string{envAPIKey: key, envUsername: "jojo"}
	for _, mode := range [][]string{nil, {"-json"}} {
		r := runCLI(t, env, append(append([]string{"-base-url", api.URL, "-retries", "0"}, mode...),
			"aadhaar-verify-otp", "-request-id", "ADHR1", "-otp", otp, "-aadhaar", cliAadhaar, "-yes")...)
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, "Asha XXXXXXXX0124 [REDACTED]", "the rest of the echo is printed")
		secrettest.CheckNoSecret(t, "aadhaar-verify-otp "+r.stdout+r.stderr, r.stdout+r.stderr, cliAadhaar,
			"2345-6789-0124", otp, key)
	}
}

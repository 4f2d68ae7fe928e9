package inexopay

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// anMustHaves are the members each call exists to return, read from the
// samples of the API document (not from the SDK): a success answer without
// one of them does not say what was done. Alternatives ("a|b") are
// must-haves together: the answer needs one of them.
var anMustHaves = map[string][]string{
	"account_status":        {"data", "data.api_status", "data.api_balance"},
	"account_balance":       {"balance"},
	"nsdl_onboard_agent":    {"data", "data.agent_id"},
	"nsdl_open_account":     {"data"},
	"nsdl_account_status":   {"data", "data.txn_id"},
	"nsdl_account_details":  {"data", "data.txn_id"},
	"nsdl_incomplete_url":   {"account_url"},
	"wallet_generate_qr":    {"data", "data.order_id", "data.qr_url|data.tx_string"},
	"wallet_payment_status": {"data", "data.status", "data.amount"},
	"pan_request":           {"data", "data.url"},
	"pan_status":            {"data", "data.status"},
	"pan_resume":            {"data", "data.url"},
	"aadhaar_send_otp":      {"data", "data.request_id"},
	"aadhaar_verify_otp":    {"data", "data.status"},
}

// anSuccess returns the documented success answer of dir as a JSON object.
func anSuccess(t testing.TB, dir string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fxDir, dir, "success.json"))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

// anEdit sets (or, with del, removes) the member at a dotted path.
func anEdit(m map[string]any, path string, v any, del bool) {
	parts := strings.Split(path, ".")
	cur := m
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			return
		}
		cur = next
	}
	last := parts[len(parts)-1]
	if del {
		delete(cur, last)
	} else {
		cur[last] = v
	}
}

func anJSON(t testing.TB, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

func anDirs() []string {
	dirs := make([]string, 0, len(fxCalls))
	for d := range fxCalls {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs
}

// anAssertUnusable checks the error of an answer that does not say what
// was done: outcome unknown (with the order id) on a charging call, a
// server error on a read-only one, and never a refusal.
func anAssertUnusable(t *testing.T, call fxCall, err error, msg ...any) {
	t.Helper()
	require.Error(t, err, msg...)
	assert.NotErrorIs(t, err, ErrBadRequest, msg...)
	assert.NotErrorIs(t, err, ErrNotFound, msg...)
	if endpoints[call.endpoint].Charging {
		var oe *OutcomeUnknownError
		if assert.ErrorAs(t, err, &oe, msg...) {
			assert.Equal(t, call.orderID, oe.OrderID, msg...)
		}
		return
	}
	assert.ErrorIs(t, err, ErrServer, msg...)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, msg...)
}

func TestAnswerWithoutMustHaveIsNeverSuccess(t *testing.T) {
	for _, dir := range anDirs() {
		call := fxCalls[dir]
		for _, must := range anMustHaves[dir] {
			for _, how := range []string{"absent", "null", "empty"} {
				t.Run(dir+"/"+must+"/"+how, func(t *testing.T) {
					m := anSuccess(t, dir)
					for _, p := range strings.Split(must, "|") {
						switch how {
						case "absent":
							anEdit(m, p, nil, true)
						case "null":
							anEdit(m, p, nil, false)
						case "empty":
							anEdit(m, p, "", false)
						}
					}
					srv, n := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
					got, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
					anAssertUnusable(t, call, err, "answer %v gave %+v", m, got)
					assert.Equal(t, int32(1), n.Load(), "never sent twice")
				})
			}
		}
	}
}

func TestAnswerSuccessWithPHPNoErrorCode(t *testing.T) {
	// "status":"SUCCESS" with error_code 0 (PHP's "no error") or "0".
	for _, code := range []any{0, "0", 200, "200"} {
		for _, dir := range anDirs() {
			m := anSuccess(t, dir)
			delete(m, "status_code")
			m["error_code"] = code
			if _, ok := m["status"].(bool); !ok {
				m["status"] = "SUCCESS"
			}
			srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
			_, err := fxCalls[dir].call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
			assert.NoError(t, err, "%s with error_code %v", dir, code)
		}
	}
}

func TestAnswerContradictionIsNeverARefusal(t *testing.T) {
	for _, dir := range anDirs() {
		call := fxCalls[dir]
		for name, edit := range map[string]func(m map[string]any){
			"success status, failure code": func(m map[string]any) { m["status"] = "SUCCESS"; m["error_code"] = 1; delete(m, "status_code") },
			"failure status, success code": func(m map[string]any) { m["status"] = "FAILED"; m["status_code"] = 200 },
			"status true, code 400":        func(m map[string]any) { m["status"] = true; m["status_code"] = 400 },
			"status_code 200, error_code 500": func(m map[string]any) {
				m["status"] = "SUCCESS"
				m["status_code"], m["error_code"] = 200, 500
			},
		} {
			t.Run(dir+"/"+name, func(t *testing.T) {
				m := anSuccess(t, dir)
				edit(m)
				srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
				_, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
				anAssertUnusable(t, call, err)
				assert.Contains(t, err.Error(), "contradicts itself")
			})
		}
	}
}

func TestAnswerHTMLErrorPageToChargingCallIsOutcomeUnknown(t *testing.T) {
	page := []byte("<html><body><h1>Bad Request</h1>nginx</body></html>")
	for _, dir := range anDirs() {
		call := fxCalls[dir]
		for _, status := range []int{400, 401, 403, 404, 409, 422, 429} {
			srv, _ := fxServe(t, status, "text/html", page)
			_, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
			if endpoints[call.endpoint].Charging {
				anAssertUnusable(t, call, err, "%s HTTP %d", dir, status)
			} else {
				assert.ErrorIs(t, err, ErrServer, "%s HTTP %d", dir, status)
			}
		}
	}
}

func TestAnswerJSONRefusalStaysARefusal(t *testing.T) {
	for _, dir := range anDirs() {
		call := fxCalls[dir]
		for _, body := range []string{
			`{"status_code":400,"status":"FAILED","message":"Error description"}`,
			`{"status":false,"message":"Agent not verified"}`,
		} {
			for _, status := range []int{200, 400, 422} {
				srv, _ := fxServe(t, status, "application/json", []byte(body))
				_, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
				assert.ErrorIs(t, err, ErrBadRequest, "%s HTTP %d %s", dir, status, body)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown, "%s HTTP %d %s", dir, status, body)
			}
		}
	}
}

func TestAnswerAboutAnotherOrderNamesBoth(t *testing.T) {
	for dir, edit := range map[string]string{
		"wallet_payment_status": "data.order_id",
		"pan_status":            "order_id",
		"nsdl_incomplete_url":   "order_id",
	} {
		t.Run(dir, func(t *testing.T) {
			call := fxCalls[dir]
			m := anSuccess(t, dir)
			anEdit(m, edit, "OTHER42", false)
			if dir == "pan_status" {
				anEdit(m, "data.orderid", "OTHER42", false)
			}
			srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
			_, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
			anAssertUnusable(t, call, err)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "OTHER42")
			assert.Contains(t, err.Error(), call.orderID)
		})
	}
	t.Run("pan_status levels disagree", func(t *testing.T) {
		m := anSuccess(t, "pan_status")
		anEdit(m, "data.orderid", "OTHER42", false)
		srv, _ := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
		_, err := fxCalls["pan_status"].call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
		assert.ErrorIs(t, err, ErrServer)
	})
}

func TestWaitForPaymentStopsOnAnswerWithoutStatus(t *testing.T) {
	m := anSuccess(t, "wallet_payment_status")
	anEdit(m, "data.status", nil, true)
	srv, n := fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
	c := fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL)
	_, err := c.Wallet.WaitForPayment(context.Background(), "WAL1234567890123", waitFastPoll)
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, int32(1), n.Load(), "a second poll gets the same answer")

	m = anSuccess(t, "pan_status")
	anEdit(m, "data.status", nil, false)
	srv, n = fxServe(t, http.StatusOK, "application/json", anJSON(t, m))
	c = fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL)
	_, err = c.PAN.WaitForCompletion(context.Background(), "ORD12345", waitFastPoll)
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, int32(1), n.Load())
}

// anTransport answers every request with a fixed response built by fn.
type anTransport func(*http.Request) (*http.Response, error)

func (f anTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
	}
	return f(r)
}

func TestAnswerFromUsersTransportNeverPanics(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(fxDir, "pan_request", "success.json"))
	require.NoError(t, err)
	for name, rt := range map[string]anTransport{
		"nil body": func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{}, Request: r}, nil
		},
		"nil body, no header": func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Request: r}, nil
		},
		"nil response, nil error": func(*http.Request) (*http.Response, error) { return nil, nil },
		"negative content length": func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{}, ContentLength: -5, Request: r,
				Body: io.NopCloser(strings.NewReader(string(body)))}, nil
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := NewClient(BodyAuth("fx_key_0123456789", "fxuser"), WithBaseURL("https://api.example"),
				WithHTTPClient(&http.Client{Transport: rt}), WithRetry(0, 0, 0))
			require.NoError(t, err)
			for _, dir := range anDirs() {
				call := fxCalls[dir]
				require.NotPanics(t, func() {
					_, err = call.call(context.Background(), c)
				}, dir)
				if name == "negative content length" && dir == "pan_request" {
					assert.NoError(t, err)
					continue
				}
				switch {
				case name == "nil response, nil error" && !endpoints[call.endpoint].Charging:
					assert.Error(t, err, dir) // a transport failure, retried like one
				case name != "negative content length":
					anAssertUnusable(t, call, err, dir)
				}
			}
		})
	}
}

func TestAnswerErrorsAreTyped(t *testing.T) {
	// An unusable answer matches ErrServer only: never a refusal's sentinel.
	srv, _ := fxServe(t, 422, "text/html", []byte("<p>Unprocessable</p>"))
	_, err := fxCalls["pan_request"].call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
	var ae *APIError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, 422, ae.HTTPStatus)
	for _, s := range []error{ErrBadRequest, ErrNotFound, ErrUnauthorized, ErrForbidden, ErrRateLimited} {
		assert.NotErrorIs(t, err, s)
	}
}

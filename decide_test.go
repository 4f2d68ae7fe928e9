package inexopay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rows of the table in docs/outcomes.md, one test each.
func TestDecideTable(t *testing.T) {
	ok := answerFacts{HTTPStatus: 200, Shape: shapeObject, Status: markSuccess, Code: markSuccess, Fits: true}
	with := func(f func(*answerFacts)) answerFacts { a := ok; f(&a); return a }
	for _, tc := range []struct {
		name string
		f    answerFacts
		want decision
	}{
		{"2xx JSON with every must-have", ok, decideSuccess},
		{"2xx JSON without markers but with every must-have", with(func(a *answerFacts) { a.Status, a.Code = markNone, markNone }), decideSuccess},
		{"1xx", with(func(a *answerFacts) { a.HTTPStatus = 103 }), decideUnusable},
		{"3xx", with(func(a *answerFacts) { a.HTTPStatus = 302 }), decideUnusable},
		{"5xx JSON saying success", with(func(a *answerFacts) { a.HTTPStatus = 500 }), decideUnusable},
		{"5xx JSON refusal", with(func(a *answerFacts) { a.HTTPStatus = 503; a.Status = markFailure; a.Code = markFailure }), decideUnusable},
		{"empty", with(func(a *answerFacts) { a.Shape = shapeEmpty }), decideUnusable},
		{"HTML 400", with(func(a *answerFacts) { a.HTTPStatus = 400; a.Shape = shapeNotJSON }), decideUnusable},
		{"HTML 422", with(func(a *answerFacts) { a.HTTPStatus = 422; a.Shape = shapeNotJSON }), decideUnusable},
		{"cut short", with(func(a *answerFacts) { a.Shape = shapeBadJSON }), decideUnusable},
		{"usable form on 200", answerFacts{HTTPStatus: 200, Shape: shapeForm}, decideSuccess},
		{"form on 403", answerFacts{HTTPStatus: 403, Shape: shapeForm}, decideUnusable},
		{"page without usable form", answerFacts{HTTPStatus: 200, Shape: shapeForm, Missing: "form"}, decideUnusable},
		{"contradiction: SUCCESS with error code 1", with(func(a *answerFacts) { a.Code = markFailure }), decideUnusable},
		{"contradiction: FAILED with code 200", with(func(a *answerFacts) { a.Status = markFailure }), decideUnusable},
		{"contradiction: status_code 200 with error_code 500", with(func(a *answerFacts) { a.OtherCode = markFailure }), decideUnusable},
		{"contradiction: status_code 400 with error_code 0", with(func(a *answerFacts) {
			a.Status, a.Code, a.OtherCode = markNone, markFailure, markSuccess
		}), decideUnusable},
		{"4xx JSON saying success", with(func(a *answerFacts) { a.HTTPStatus = 400 }), decideUnusable},
		{"4xx JSON with a 5xx code", with(func(a *answerFacts) {
			a.HTTPStatus, a.Status, a.Code, a.ServerCode = 400, markFailure, markFailure, true
		}), decideUnusable},
		{"4xx JSON refusal", with(func(a *answerFacts) { a.HTTPStatus, a.Status, a.Code = 400, markFailure, markFailure }), decideRefused},
		{"4xx JSON with a message only", with(func(a *answerFacts) {
			a.HTTPStatus, a.Status, a.Code, a.Message = 409, markNone, markNone, true
		}), decideRefused},
		{"4xx JSON with nothing", with(func(a *answerFacts) { a.HTTPStatus, a.Status, a.Code = 404, markNone, markNone }), decideUnusable},
		{"2xx refusal", with(func(a *answerFacts) { a.Status, a.Code = markFailure, markFailure; a.Fits = false }), decideRefused},
		{"2xx refusal by status false only", with(func(a *answerFacts) { a.Status, a.Code = markFailure, markNone }), decideRefused},
		{"2xx refusal with a 5xx code", with(func(a *answerFacts) { a.Status, a.Code, a.ServerCode = markFailure, markFailure, true }), decideUnusable},
		{"2xx not of the documented types", with(func(a *answerFacts) { a.Fits = false }), decideUnusable},
		{"2xx without a must-have", with(func(a *answerFacts) { a.Missing = "data.url" }), decideUnusable},
		{"2xx about another order", with(func(a *answerFacts) { a.OtherOrder = true }), decideUnusable},
	} {
		assert.Equal(t, tc.want, decide(tc.f), tc.name)
	}
}

func TestDecideMarkers(t *testing.T) {
	for _, tc := range []struct {
		set, isBool, b bool
		text           string
		want           marker
	}{
		{true, true, true, "", markSuccess}, {true, true, false, "", markFailure},
		{true, false, false, "SUCCESS", markSuccess}, {true, false, false, "success", markSuccess},
		{true, false, false, " Success ", markSuccess}, {true, false, false, "FAILED", markFailure},
		{true, false, false, "failure", markFailure}, {true, false, false, "Error", markFailure},
		{true, false, false, "pending", markNone}, {false, false, false, "", markNone},
	} {
		assert.Equal(t, tc.want, statusMarker(tc.set, tc.isBool, tc.b, tc.text), "%+v", tc)
	}
	assert.Equal(t, markSuccess, codeMarker(true, 0))
	assert.Equal(t, markSuccess, codeMarker(true, 200))
	assert.Equal(t, markFailure, codeMarker(true, 400))
	assert.Equal(t, markFailure, codeMarker(true, 1))
	assert.Equal(t, markNone, codeMarker(false, 0))
}

// dcKind is the kind of body a generated answer has; the expected decision
// follows from it and the HTTP status by the documented table alone.
type dcKind int

const (
	dcSuccess       dcKind = iota // the documented success answer
	dcPHPSuccess                  // the same with "status":"SUCCESS" and error_code 0
	dcMissing                     // the success answer without a must-have
	dcRefusal                     // {"status_code":400,"status":"FAILED","message":…}
	dcNSDLRefusal                 // {"status":false,"message":…}
	dcContradiction               // success status with a failure code
	dcHTML                        // an HTML error page
	dcEmpty                       // nothing
	dcTruncated                   // the success answer cut short
	dcArray                       // a JSON array
	dcKinds
)

var dcKindNames = [...]string{"success", "php-success", "missing", "refusal", "nsdl-refusal", "contradiction",
	"html", "empty", "truncated", "array"}

// dcExpect is the documented table, written from docs/outcomes.md and not
// from decide.go.
func dcExpect(status int, k dcKind) decision {
	is2xx, is4xx := status >= 200 && status <= 299, status >= 400 && status <= 499
	switch k {
	case dcSuccess, dcPHPSuccess:
		if is2xx {
			return decideSuccess
		}
	case dcRefusal, dcNSDLRefusal:
		if is2xx || is4xx {
			return decideRefused
		}
	}
	return decideUnusable
}

// dcBody builds an answer of kind k for the fixture directory dir.
func dcBody(t testing.TB, r *rand.Rand, dir string, k dcKind) []byte {
	switch k {
	case dcSuccess:
		return anJSON(t, anSuccess(t, dir))
	case dcPHPSuccess:
		m := anSuccess(t, dir)
		delete(m, "status_code")
		m["status"], m["error_code"] = "SUCCESS", []any{0, "0"}[r.IntN(2)]
		return anJSON(t, m)
	case dcMissing:
		m := anSuccess(t, dir)
		musts := anMustHaves[dir]
		for _, p := range strings.Split(musts[r.IntN(len(musts))], "|") {
			anEdit(m, p, nil, r.IntN(2) == 0)
		}
		return anJSON(t, m)
	case dcRefusal:
		return []byte(`{"status_code":400,"status":"FAILED","message":"Error description"}`)
	case dcNSDLRefusal:
		return []byte(`{"status":false,"message":"Agent not verified"}`)
	case dcContradiction:
		m := anSuccess(t, dir)
		delete(m, "status_code")
		m["status"], m["error_code"] = "SUCCESS", []int{1 + r.IntN(199), 300 + r.IntN(200)}[r.IntN(2)] // not 0 or 2xx
		return anJSON(t, m)
	case dcHTML:
		return []byte("<!DOCTYPE html><html><body><h1>" + http.StatusText(400) + "</h1></body></html>")
	case dcEmpty:
		return []byte([]string{"", " ", "\n"}[r.IntN(3)])
	case dcTruncated:
		b := anJSON(t, anSuccess(t, dir))
		return b[:1+r.IntN(len(b)-2)]
	case dcArray:
		return []byte(`[]`)
	}
	panic("unknown kind")
}

// dcAnswerType returns a fresh answer value of the call in dir.
func dcAnswerType(dir string) wire.Headed {
	switch dir {
	case "account_status":
		return new(wire.AccountStatus)
	case "account_balance":
		return new(wire.Balance)
	case "nsdl_onboard_agent":
		return new(wire.Agent)
	case "nsdl_open_account":
		return new(wire.AccountOpening)
	case "nsdl_account_status", "nsdl_account_details":
		return new(wire.BankAccountAnswer)
	case "nsdl_incomplete_url":
		return new(wire.IncompleteAccount)
	case "wallet_generate_qr":
		return new(wire.WalletQR)
	case "wallet_payment_status":
		return new(wire.WalletPayment)
	case "pan_request", "pan_resume":
		return new(panAnswer)
	case "pan_status":
		return new(wire.PANStatus)
	case "aadhaar_send_otp":
		return new(wire.AadhaarOTP)
	case "aadhaar_verify_otp":
		return new(wire.AadhaarVerification)
	}
	panic("unknown directory " + dir)
}

var dcContentTypes = []string{"application/json", "text/html; charset=UTF-8", "text/plain", ""}

// TestDecideProperty generates answers (every HTTP status from 100 to 599,
// several content types, every body kind) for every endpoint and checks the
// decoded outcome against the documented table: a charging call is never
// refused unless the answer is a well-formed JSON refusal, and never a
// success without its must-haves.
func TestDecideProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 2026))
	for _, dir := range anDirs() {
		call := fxCalls[dir]
		for status := 100; status <= 599; status++ {
			for k := dcKind(0); k < dcKinds; k++ {
				body := dcBody(t, r, dir, k)
				resp := &http.Response{StatusCode: status, Header: http.Header{}}
				resp.Header.Set("Content-Type", dcContentTypes[r.IntN(len(dcContentTypes))])
				ae := decodeAnswerFor(call.endpoint, resp, body, dcAnswerType(dir), call.orderID)
				got := decideSuccess
				switch {
				case ae == nil:
				case apierr.Unusable(ae) && errors.Is(ae, ErrServer):
					got = decideUnusable
				case !errors.Is(ae, ErrServer) || status >= 500:
					got = decideRefused
				}
				if status >= 500 && ae != nil && !apierr.Unusable(ae) {
					t.Fatalf("%s HTTP %d %s: a 5xx answer decoded as a refusal", dir, status, dcKindNames[k])
				}
				want := dcExpect(status, k)
				if got != want {
					t.Fatalf("%s HTTP %d %s %q: got %s, want %s (%v)", dir, status, dcKindNames[k], body, got, want, ae)
				}
			}
		}
	}
}

// TestDecidePropertyThroughClient drives a sample of the generated answers
// through the real Client and a test server, and checks the error the
// caller sees.
func TestDecidePropertyThroughClient(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 5))
	statuses := []int{200, 201, 400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503}
	for _, dir := range anDirs() {
		call := fxCalls[dir]
		for i := 0; i < 6; i++ {
			status, k := statuses[r.IntN(len(statuses))], dcKind(r.IntN(int(dcKinds)))
			body := dcBody(t, r, dir, k)
			name := fmt.Sprintf("%s/%d/%s", dir, status, dcKindNames[k])
			t.Run(name, func(t *testing.T) {
				srv, n := fxServe(t, status, dcContentTypes[r.IntN(len(dcContentTypes))], body)
				_, err := call.call(context.Background(), fxClient(t, BodyAuth("fx_key_0123456789", "fxuser"), srv.URL))
				switch dcExpect(status, k) {
				case decideSuccess:
					assert.NoError(t, err)
				case decideRefused:
					require.Error(t, err)
					assert.NotErrorIs(t, err, ErrOutcomeUnknown)
					assert.NotErrorIs(t, err, ErrServer)
				case decideUnusable:
					anAssertUnusable(t, call, err)
				}
				assert.Equal(t, int32(1), n.Load())
			})
		}
	}
}

func TestDecideIgnoresTheBOMAndContentType(t *testing.T) {
	body := append([]byte("\xef\xbb\xbf"), anJSON(t, anSuccess(t, "account_balance"))...)
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/html"}}}
	assert.Nil(t, decodeAnswerFor(EndpointAccountBalance, resp, bytes.Clone(body), new(wire.Balance), ""))
}

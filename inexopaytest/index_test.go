package inexopaytest

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/curlline"
	"github.com/inexopay/inexopay-go/internal/endpoints"
)

// getIndex fetches GET / with the given Accept header.
func getIndex(t *testing.T, s *Server, accept string) (string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+"/", nil)
	require.NoError(t, err)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.Header.Get("Content-Type"), string(b)
}

// runCurl executes one curl line of the index page and returns the HTTP
// status and the decoded JSON answer.
func runCurl(t *testing.T, line string) (int, map[string]any) {
	t.Helper()
	req, err := curlline.Request(context.Background(), line)
	require.NoError(t, err, line)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err, line)
	defer resp.Body.Close()
	var ans map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&ans), line)
	return resp.StatusCode, ans
}

// TestIndexListsEveryEndpoint checks that GET / names every endpoint of
// the table with its method, path, result type, every form field (required
// or not, with its example) and one curl line with this server's URL and
// credentials; and every control with a curl line. A curl user gets text, a
// browser the same text as HTML.
func TestIndexListsEveryEndpoint(t *testing.T) {
	s := newServer(t, WithAPIKey("key with 'quote' $x"), WithUsername("idx"))
	ct, text := getIndex(t, s, "*/*")
	assert.Equal(t, "text/plain; charset=utf-8", ct)
	lines := curlline.Lines(text)
	for _, e := range endpoints.All {
		assert.Contains(t, text, "== "+e.Name+"  POST "+e.Path+"\n", e.Name)
		assert.Contains(t, text, "Answer: "+e.Result+" (", e.Name)
		for _, f := range e.Fields {
			req := "optional"
			if f.Required {
				req = "required"
			}
			assert.Regexp(t, `(?m)^   `+f.Name+` +`+req+` +`+f.Example, text, "%s %s", e.Name, f.Name)
		}
		n := 0
		for _, l := range lines {
			if strings.HasPrefix(l, "curl -sS "+s.URL+e.Path+" ") {
				n++
				req, err := curlline.Request(context.Background(), l)
				require.NoError(t, err)
				b, _ := io.ReadAll(req.Body)
				form, err := url.ParseQuery(string(b))
				require.NoError(t, err)
				assert.Equal(t, s.APIKey, form.Get("api_key"), "the shell-quoted key survives")
				assert.Equal(t, "idx", form.Get("username"))
				for _, f := range e.Fields {
					if f.Example != "" {
						assert.Equal(t, f.Example, form.Get(f.Name), "%s %s", e.Name, f.Name)
					}
				}
			}
		}
		assert.Equal(t, 1, n, "one curl line for %s", e.Name)
	}
	for _, c := range s.controlTable() {
		assert.Contains(t, text, c.method+" "+c.path+"\n")
		assert.Contains(t, text, "curl -sS "+s.URL+c.path, c.path)
		// Every listed control is served: it answers JSON (an unknown
		// path would get the mux's plain-text 404 page).
		_, ans := runCurl(t, "curl -sS -X "+c.method+" "+s.URL+c.path)
		assert.Contains(t, ans, "message", c.path)
	}
	assert.Contains(t, text, "global webhook URL, now: none set.")

	ct, page := getIndex(t, s, "text/html,application/xhtml+xml")
	assert.Equal(t, "text/html; charset=UTF-8", ct)
	assert.Contains(t, page, html.EscapeString(lines[0]))

	s.SetWebhookURL("http://127.0.0.1:9/hook?token=sekrit")
	_, text = getIndex(t, s, "")
	assert.Contains(t, text, "global webhook URL, now: http://127.0.0.1:9/hook?token=[REDACTED]")
	assert.NotContains(t, text, "sekrit")

	resp, err := http.Get(s.URL + "/no/such/page")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "only / is the index")
}

// TestIndexCurlLinesWork runs every endpoint's curl line of the index
// page, in order, as a curl user would (replacing the values marked * with
// those of earlier answers), and requires every call to succeed: the
// examples are values the sandbox accepts.
func TestIndexCurlLinesWork(t *testing.T) {
	s := newServer(t)
	_, text := getIndex(t, s, "")
	byPath := map[string]string{}
	for _, l := range curlline.Lines(text) {
		u := strings.Fields(l)[2]
		byPath[strings.TrimPrefix(u, s.URL)] = l
	}
	replace := map[string]string{}
	for _, e := range endpoints.All {
		line := byPath[e.Path]
		require.NotEmpty(t, line, e.Name)
		for from, to := range replace {
			line = strings.ReplaceAll(line, from, to)
		}
		code, ans := runCurl(t, line)
		require.Equal(t, http.StatusOK, code, "%s: %v", e.Name, ans)
		assert.NotEqual(t, false, ans["status"], "%s: %v", e.Name, ans)
		assert.NotEqual(t, "FAILED", ans["status"], "%s: %v", e.Name, ans)
		data, _ := ans["data"].(map[string]any)
		switch e.Name {
		case "Wallet.GenerateQR":
			replace["WAL1234567890123"] = data["order_id"].(string)
		case "Aadhaar.SendOTP":
			rid := data["request_id"].(string)
			otp, ok := s.OTP(rid)
			require.True(t, ok)
			replace["ADHRVFR19052420260531_1e2d274"] = rid
			replace["otp=123456"] = "otp=" + otp
		}
	}
	assert.Equal(t, 1, s.PANCount())
	assert.Equal(t, 1, s.AccountOpeningCount())
}

// TestFormBodyMessage checks that a JSON or multipart body, to an API
// endpoint or a control, is answered with a message saying the API takes
// form-encoded fields, and that a form (or no body) is not.
func TestFormBodyMessage(t *testing.T) {
	s := newServer(t)
	post := func(path, ct, body string) (int, map[string]any) {
		req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		req.Header.Set("X-Api-Key", s.APIKey)
		req.Header.Set("X-Api-Username", s.Username)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var ans map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&ans))
		return resp.StatusCode, ans
	}
	balance := endpoints.Paths[inexopay.Endpoint]()[inexopay.EndpointAccountBalance]
	for _, tc := range []struct{ ct, body, want string }{
		{"application/json", `{"api_key":"x"}`, "The request body is JSON; the INEXOPAY API takes form fields, not JSON"},
		{"application/json; charset=utf-8", `{}`, "The request body is JSON"},
		{"multipart/form-data; boundary=x", "--x--\r\n", "The request body is multipart/form-data; the INEXOPAY API takes application/x-www-form-urlencoded form fields"},
		{"text/plain", "api_key=x", `The request body is "text/plain"`},
		{"", "api_key=x", "The request has a body but no Content-Type"},
	} {
		code, ans := post(balance, tc.ct, tc.body)
		assert.Equal(t, http.StatusUnsupportedMediaType, code, tc.ct)
		assert.Contains(t, ans["message"], tc.want, tc.ct)
		assert.Contains(t, ans["message"], "curl -d name=value, PHP http_build_query, Python requests.post(url, data={...})")
		code, ans = post("/sandbox/control/balance", tc.ct, tc.body)
		assert.Equal(t, http.StatusUnsupportedMediaType, code, tc.ct)
		assert.Contains(t, ans["message"], tc.want, tc.ct)
	}
	code, ans := post(balance, "application/x-www-form-urlencoded", "")
	assert.Equal(t, http.StatusOK, code, ans)
	code, ans = post(balance, "", "")
	assert.Equal(t, http.StatusOK, code, ans)
	assert.Equal(t, inexopay.Rupees(1000), s.Balance(), "nothing changed")
}

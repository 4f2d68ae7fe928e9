package inexopay

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/inexopay/inexopay-go/internal/htmlform"
	"github.com/inexopay/inexopay-go/internal/netutil"
	"github.com/inexopay/inexopay-go/internal/secrettest"
	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

const pfAPI = "https://mail.inexopay.in/api/nsdl-pan/v1/request_pan.php"

// pfServer answers every call with one page and counts the calls.
func pfServer(t *testing.T, tlsServer bool, status int, contentType, page string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(page))
	})
	var srv *httptest.Server
	if tlsServer {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv, &n
}

func pfClient(t *testing.T, srv *httptest.Server) *Client {
	t.Helper()
	opts := []Option{WithBaseURL(srv.URL), WithRetry(3, 0, 0)}
	if srv.TLS != nil {
		opts = append(opts, WithHTTPClient(srv.Client()))
	}
	c, err := NewClient(BodyAuth(relAPIKey, relUsername), opts...)
	require.NoError(t, err)
	t.Cleanup(func() {
		if srv.TLS != nil {
			srv.Client().CloseIdleConnections()
		}
	})
	return c
}

var pfParams = &PANRequestParams{Mobile: "9876543210", OrderID: "ORDHTML1", Mode: PANModeEKYC, Type: PANTypeNew}

const pfFormPage = `<!DOCTYPE html><html><head><title>Redirecting</title></head>
<body onload="document.forms[0].submit()"><p>Please wait, redirecting to the NSDL PAN portal...</p>
<form method="post" action="https://nsdl.example/pan"><input type="hidden" name="txid" value="50089349">
<input type="hidden" name="req" value="tok&amp;en+/="></form></body></html>`

// TestPANFormAnswerOverHTTP drives PAN.Request and PAN.Resume against
// servers that answer with HTML: a form is a success, anything else is
// ErrOutcomeUnknown, and no HTML answer is ever retried.
func TestPANFormAnswerOverHTTP(t *testing.T) {
	ctx := context.Background()
	wantForm := &RedirectForm{Action: "https://nsdl.example/pan", Method: "POST", Enctype: "application/x-www-form-urlencoded",
		Fields: url.Values{"txid": {"50089349"}, "req": {"tok&en+/="}}}

	t.Run("form is success", func(t *testing.T) {
		for _, ct := range []string{"text/html; charset=UTF-8", "application/json", ""} {
			srv, n := pfServer(t, false, 200, ct, "\xef\xbb\xbf  "+pfFormPage)
			c := pfClient(t, srv)
			app, err := c.PAN.Request(ctx, pfParams)
			require.NoError(t, err, "content type %q", ct)
			assert.Equal(t, &PANApplication{URL: "https://nsdl.example/pan", Form: wantForm, OrderID: "ORDHTML1"}, app)
			app, err = c.PAN.Resume(ctx, "ORDHTML1")
			require.NoError(t, err)
			assert.Equal(t, wantForm, app.Form)
			assert.Equal(t, "ORDHTML1", app.OrderID)
			assert.Equal(t, int32(2), n.Load())
		}
	})
	t.Run("JSON answer keeps working, Form nil", func(t *testing.T) {
		srv, _ := pfServer(t, false, 200, "application/json", strings.Replace(relSuccess[EndpointPANRequest], `"ORD12345"`, `"ORDHTML1"`, 1))
		app, err := pfClient(t, srv).PAN.Request(ctx, pfParams)
		require.NoError(t, err)
		assert.Nil(t, app.Form)
		assert.Equal(t, "https://connect.inspay.in/nsdl/pan?process_id=2504&txid=50089349&mode=K", app.URL)
	})

	unknown := []struct {
		name, page string
		status     int
		tls        bool
		msg        string // in the error's text
	}{
		{name: "500 page with a form", status: 500, page: pfFormPage, msg: "HTTP 500"},
		{name: "502 page", status: 502, page: "<html><body><h1>502 Bad Gateway</h1></body></html>", msg: "502 Bad Gateway"},
		{name: "503 maintenance page with a form", status: 503, page: pfFormPage, msg: "HTTP 503"},
		{name: "error page", status: 200, page: "<html><body><h1>Invalid request</h1></body></html>", msg: "Invalid request"},
		{name: "plain http action", status: 200, msg: "http://nsdl.example/pan is plain http",
			page: `<form method="post" action="http://nsdl.example/pan?sig=S3CRET"><input name="a" value="1"></form>`},
		{name: "plain http loopback action from an https API", status: 200, tls: true, msg: "is plain http",
			page: `<form method="post" action="http://127.0.0.1/pan"><input name="a" value="1"></form>`},
		{name: "ambiguous forms", status: 200, msg: "cannot tell which",
			page: `<form action="https://a.example/"><input name="a" value="1"></form><form action="https://b.example/"><input name="b" value="1"></form>`},
	}
	for _, tc := range unknown {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := pfServer(t, tc.tls, tc.status, "text/html", tc.page)
			c := pfClient(t, srv)
			for _, call := range []func() (*PANApplication, error){
				func() (*PANApplication, error) { return c.PAN.Request(ctx, pfParams) },
				func() (*PANApplication, error) { return c.PAN.Resume(ctx, "ORDHTML1") },
			} {
				app, err := call()
				require.Error(t, err)
				assert.Nil(t, app)
				assert.ErrorIs(t, err, ErrOutcomeUnknown)
				assert.ErrorIs(t, err, ErrServer)
				var oe *OutcomeUnknownError
				require.ErrorAs(t, err, &oe)
				assert.Equal(t, "ORDHTML1", oe.OrderID)
				assert.Contains(t, err.Error(), tc.msg)
				assert.NotContains(t, err.Error(), "S3CRET")
			}
			assert.Equal(t, int32(2), n.Load(), "one request per call: never retried")
		})
	}

	t.Run("4xx page with a form is not success", func(t *testing.T) {
		// Not a JSON refusal either: the charge's outcome is unknown.
		srv, _ := pfServer(t, false, 403, "text/html", pfFormPage)
		_, err := pfClient(t, srv).PAN.Request(ctx, pfParams)
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
		assert.NotErrorIs(t, err, ErrForbidden)
	})
	t.Run("other calls still refuse HTML with a form", func(t *testing.T) {
		srv, _ := pfServer(t, false, 200, "text/html", pfFormPage)
		_, err := pfClient(t, srv).PAN.Status(ctx, "ORDHTML1")
		assert.ErrorIs(t, err, ErrServer)
		_, err = pfClient(t, srv).Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: Rupees(100)})
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
	})
}

// TestPANFormAnswerKeyEchoRedacted: a refused page that echoes the API key
// does not carry it into the error.
func TestPANFormAnswerKeyEchoRedacted(t *testing.T) {
	page := `<html><body><p>Bad key ` + relAPIKey + `</p><form action="http://x.example/` + relAPIKey + `"><input name="k" value="` + relAPIKey + `"></form></body></html>`
	srv, _ := pfServer(t, false, 200, "text/html", page)
	_, err := pfClient(t, srv).PAN.Request(context.Background(), pfParams)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	for _, s := range relFmtAll(err) {
		assert.NotContains(t, s, relAPIKey)
	}
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.NotContains(t, ae.Message, relAPIKey)
}

// pfHostile is a form whose names, values and action try to break out of
// the page WritePage writes.
var pfHostile = &RedirectForm{
	Action: `https://nsdl.example/pan?a=1&b="><script>alert(1)</script>`,
	Method: "post",
	Fields: url.Values{
		`"><script>alert('n')</script>`: {`</script><script>alert("v")</script>`, `' onmouseover='alert(2)`},
		"submit":                        {"clobber"},
		"plain":                         {"A & B <c> ₹"},
		"nl":                            {"a\r\nb"},
		"</form><form action=//evil>":   {"{{.Action}}"},
	},
}

// TestWritePageEscapes parses the page WritePage writes as a browser
// would: its only script is the SDK's own, no element has an event handler,
// its one form posts to the action with exactly the form's fields.
func TestWritePageEscapes(t *testing.T) {
	rec := httptest.NewRecorder()
	require.NoError(t, pfHostile.WritePage(rec))
	assert.Equal(t, 200, rec.Code)
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	csp := rec.Header().Get("Content-Security-Policy")
	assert.Contains(t, csp, "default-src 'none'")
	assert.Contains(t, csp, "script-src "+RedirectFormScriptHash)
	sum := sha256.Sum256([]byte(redirectScript))
	assert.Equal(t, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", RedirectFormScriptHash,
		"the hash covers the script")
	body := rec.Body.Bytes()

	var scripts []string
	z := html.NewTokenizer(bytes.NewReader(body))
	inScript := false
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			for _, a := range tok.Attr {
				assert.False(t, strings.HasPrefix(a.Key, "on"), "event handler attribute %q", a.Key)
			}
			inScript = tok.Data == "script"
		case html.EndTagToken:
			inScript = false
		case html.TextToken:
			if inScript {
				scripts = append(scripts, tok.Data)
			}
		}
	}
	assert.Equal(t, []string{redirectScript}, scripts, "one script, the SDK's")

	// The parser of API answers finds the one form, as a browser submits it.
	f, refusal := htmlform.Parse(body, nil)
	require.Nil(t, refusal)
	assert.Contains(t, string(body), `id="inexopay-redirect"`, "the id the script submits")
	assert.Equal(t, "POST", f.Method)
	// html/template percent-encodes what a URL may not hold; the action
	// still names the same resource and query.
	gotAction, wantAction := pfMustURL(t, f.Action), pfMustURL(t, pfHostile.Action)
	assert.Equal(t, wantAction.Host+wantAction.Path, gotAction.Host+gotAction.Path)
	assert.Equal(t, wantAction.Query(), gotAction.Query(), "the action's query survives escaping")
	assert.Equal(t, pfHostile.Fields, f.Fields, "every field survives escaping, none added")
}

func TestWritePageRefuses(t *testing.T) {
	for name, f := range map[string]*RedirectForm{
		"nil":             nil,
		"javascript":      {Action: "javascript:alert(1)", Method: "POST", Fields: url.Values{"a": {"1"}}},
		"data":            {Action: "data:text/html,<script>alert(1)</script>", Method: "POST"},
		"plain http":      {Action: "http://nsdl.example/pan", Method: "POST"},
		"relative":        {Action: "/pan", Method: "POST"},
		"method":          {Action: "https://nsdl.example/pan", Method: "PUT"},
		"no host":         {Action: "https:///pan", Method: "POST"},
		"malformed url":   {Action: "https://nsdl.example/%zz", Method: "POST"},
		"empty action":    {Method: "POST"},
		"empty method":    {Action: "https://nsdl.example/pan"},
		"dialog method":   {Action: "https://nsdl.example/pan", Method: "dialog"},
		"spaced scheme":   {Action: " javascript:alert(1)", Method: "GET"},
		"http not loopb":  {Action: "http://10.0.0.1/pan", Method: "GET"},
		"port too big":    {Action: "https://nsdl.example:99999/pan", Method: "POST"},
		"port 65536":      {Action: "https://nsdl.example:65536/pan", Method: "POST"},
		"port zero":       {Action: "https://nsdl.example:0/pan", Method: "POST"},
		"port 000":        {Action: "https://nsdl.example:000/pan", Method: "POST"},
		"port letters":    {Action: "https://nsdl.example:44x/pan", Method: "POST"},
		"port huge":       {Action: "https://nsdl.example:184467440737095516150/pan", Method: "POST"},
		"unknown enctype": {Action: "https://nsdl.example/pan", Method: "POST", Enctype: "application/json"},
		"spaced enctype":  {Action: "https://nsdl.example/pan", Method: "POST", Enctype: " text/plain"},
		"non-ASCII host":  {Action: "https://ｎｓｄｌ.example/pan", Method: "POST"},
		"ideographic dot": {Action: "https://secure。inexopay。in/pan", Method: "POST"},
		"API host":        {Action: "https://SECURE.inexopay.in./pan", Method: "POST"},
		"API host mail":   {Action: "https://mail.inexopay.in/pan", Method: "GET"},
	} {
		rec := httptest.NewRecorder()
		err := f.WritePage(rec)
		require.Error(t, err, name)
		assert.Equal(t, 0, rec.Body.Len(), name)
		assert.Empty(t, rec.Header(), name)
	}
	rec := httptest.NewRecorder()
	require.NoError(t, (&RedirectForm{Action: "http://127.0.0.1:8080/pan", Method: "get"}).WritePage(rec),
		"plain http to loopback (the sandbox)")
	assert.Contains(t, rec.Body.String(), `method="GET"`)
	for _, action := range []string{"https://nsdl.example:65535/pan", "https://nsdl.example:0443/pan", "https://nsdl.example:/pan"} {
		require.NoError(t, (&RedirectForm{Action: action, Method: "POST"}).WritePage(httptest.NewRecorder()), action)
	}
}

// TestPANFormAnswerKeepsEnctype: a POST form's enctype reaches
// RedirectForm as a browser reads it, the page WritePage writes posts in it,
// and a hidden _charset_ field carries what a browser sends for it.
func TestPANFormAnswerKeepsEnctype(t *testing.T) {
	const urlencoded = "application/x-www-form-urlencoded"
	for attr, want := range map[string]string{
		``:                              urlencoded,
		`enctype="multipart/form-data"`: "multipart/form-data",
		`enctype="Text/Plain"`:          "text/plain",
		`enctype="application/json"`:    urlencoded,
	} {
		page := `<form method="post" ` + attr + ` action="https://nsdl.example/pan"><input type="hidden" name="a" value="1">` +
			`<input type="hidden" name="_charset_"></form>`
		srv, _ := pfServer(t, false, 200, "text/html", page)
		app, err := pfClient(t, srv).PAN.Request(context.Background(), pfParams)
		require.NoError(t, err, page)
		require.NotNil(t, app.Form, page)
		assert.Equal(t, want, app.Form.Enctype, page)
		assert.Equal(t, url.Values{"a": {"1"}, "_charset_": {"UTF-8"}}, app.Form.Fields, page)
		rec := httptest.NewRecorder()
		require.NoError(t, app.Form.WritePage(rec), page)
		back, refusal := htmlform.Parse(rec.Body.Bytes(), nil)
		require.Nil(t, refusal, page)
		assert.Equal(t, want, back.Enctype, "the written page posts in the form's encoding")
		assert.Equal(t, app.Form.Fields, back.Fields)
	}
	// A form built by hand without an Enctype posts urlencoded; a GET names none.
	rec := httptest.NewRecorder()
	require.NoError(t, (&RedirectForm{Action: "https://nsdl.example/pan", Method: "POST", Fields: url.Values{"a": {"1"}}}).WritePage(rec))
	assert.Contains(t, rec.Body.String(), `enctype="application/x-www-form-urlencoded"`)
	rec = httptest.NewRecorder()
	require.NoError(t, (&RedirectForm{Action: "https://nsdl.example/pan", Method: "GET", Enctype: "multipart/form-data",
		Fields: url.Values{"a": {"1"}}}).WritePage(rec))
	assert.NotContains(t, rec.Body.String(), "enctype")
}

// pfFailWriter fails every write.
type pfFailWriter struct{ h http.Header }

func (w *pfFailWriter) Header() http.Header { return w.h }
func (w *pfFailWriter) WriteHeader(int)     {}
func (w *pfFailWriter) Write([]byte) (int, error) {
	return 0, errors.New("connection reset")
}

func TestWritePageReportsWriteError(t *testing.T) {
	err := pfHostile.WritePage(&pfFailWriter{h: http.Header{}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection reset")
}

// TestRedirectFormMasked: field values and the action's query never show
// in fmt or slog output, of the form or of a PANApplication holding it.
func TestRedirectFormMasked(t *testing.T) {
	const tok, sig = "tok_SECRET_5Qz8Wm2R", "SIGSECRET99"
	f := &RedirectForm{Action: "https://nsdl.example/pan?sig=" + sig, Method: "POST", Enctype: "multipart/form-data",
		Fields: url.Values{"req": {tok}, "txid": {tok + "2"}}}
	// PANApplication prints its URL whole, as for a JSON answer: here it
	// has no query, so that only the form's masking is tested.
	app := &PANApplication{URL: "https://nsdl.example/pan", Form: f, OrderID: "O1"}
	var outs []string
	for _, v := range []any{f, *f, app, *app, []*RedirectForm{f}, map[string]RedirectForm{"k": *f}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
			outs = append(outs, fmt.Sprintf(verb, v))
		}
	}
	for _, v := range []any{f, *f, app, *app} {
		for _, h := range []func(*bytes.Buffer) slog.Handler{
			func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
			func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		} {
			var b bytes.Buffer
			slog.New(h(&b)).Info("x", "v", v)
			outs = append(outs, b.String())
		}
	}
	for _, s := range outs {
		assert.NotContains(t, s, "SECRET", "leaked in %s", s)
		assert.NotContains(t, s, "5Qz8Wm2R", "leaked in %s", s)
	}
	assert.Equal(t, "RedirectForm{Action:https://nsdl.example/pan?[REDACTED] Method:POST Enctype:multipart/form-data Fields:[req:[REDACTED] txid:[REDACTED]]}", fmt.Sprint(f))
	assert.Contains(t, fmt.Sprint(app), "Fields:[req:[REDACTED]")
}

// FuzzParseRedirectForm: whatever the page, a form the parser accepts is
// one the SDK may hand to a browser (https action, GET or POST, fields),
// and the page WritePage writes for it carries exactly its fields.
//
//	go test -run '^$' -fuzz '^FuzzParseRedirectForm$' -fuzztime 1m .
func FuzzParseRedirectForm(f *testing.F) {
	f.Add(pfFormPage, pfAPI)
	f.Add(`<form id=a action=/x><input name=a value=1></form><form id=b action="https://b/"><input name=b></form><script>document.getElementById('b').submit()</script>`, pfAPI)
	f.Add(`<base href="//evil/"><form action="http://127.0.0.1/p"><textarea name=t>&amp;</textarea></form>`, "http://127.0.0.1:1/api")
	f.Fuzz(func(t *testing.T, page, reqURL string) {
		u, err := url.Parse(reqURL)
		if err != nil {
			u = nil
		}
		parsed, refusal := htmlform.Parse([]byte(page), u)
		if parsed == nil {
			if refusal == nil || refusal.Reason == "" {
				t.Fatal("neither a form nor a reason")
			}
			return
		}
		form := &RedirectForm{Action: parsed.Action, Method: parsed.Method, Enctype: parsed.Enctype, Fields: parsed.Fields}
		a, err := url.Parse(form.Action)
		if err != nil || a.Host == "" {
			t.Fatalf("accepted action %q", form.Action)
		}
		sandbox := a.Scheme == "http" && u != nil && u.Scheme == "http" && netutil.IsLoopbackHost(u.Hostname()) && netutil.IsLoopbackHost(a.Hostname())
		if a.Scheme != "https" && !sandbox {
			t.Fatalf("accepted action %q for request %q", form.Action, reqURL)
		}
		if form.Method != "GET" && form.Method != "POST" || len(form.Fields) == 0 {
			t.Fatalf("accepted %+v", form)
		}
		rec := httptest.NewRecorder()
		if err := form.WritePage(rec); err != nil {
			t.Fatalf("WritePage of an accepted form: %v", err)
		}
		back, refusal := htmlform.Parse(rec.Body.Bytes(), u)
		if refusal != nil {
			t.Fatalf("the written page is refused: %s", refusal.Reason)
		}
		if form.Method == "POST" && back.Enctype != form.Enctype {
			t.Fatalf("enctype: wrote %q, read back %q", form.Enctype, back.Enctype)
		}
		for k, vs := range form.Fields {
			if !slices.Equal(back.Fields[k], vs) {
				t.Fatalf("field %q: wrote %q, read back %q", k, vs, back.Fields[k])
			}
		}
	})
}

// pfRawServer answers every request with the raw bytes and closes the
// connection (testkit.ServeRaw): an HTTP server that misbehaves below
// net/http.
func pfRawServer(t *testing.T, raw string) string {
	t.Helper()
	return testkit.ServeRaw(t, func(*http.Request, []byte) string { return raw }).URL()
}

// TestPANFormAnswerCutShort: an HTML form answer that the connection cuts
// short is never taken for a success with part of its fields.
func TestPANFormAnswerCutShort(t *testing.T) {
	const head = "<html><body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"https://nsdl.example/pan\">" +
		"<input type=\"hidden\" name=\"txid\" value=\"50089349\"><input type=\"hidden\" name=\"req\" value=\"ab"
	for name, raw := range map[string]string{
		// Read until close: the body looks whole to HTTP, not to HTML.
		"no length, closed": "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n" + head,
		"short of its length": fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s",
			len(head)+100, head),
		"chunked, last chunk missing": fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n",
			len(head), head),
	} {
		t.Run(name, func(t *testing.T) {
			base := pfRawServer(t, raw)
			c, err := NewClient(BodyAuth(relAPIKey, relUsername), WithBaseURL(base), WithRetry(3, 0, 0))
			require.NoError(t, err)
			app, err := c.PAN.Request(context.Background(), pfParams)
			assert.Nil(t, app)
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			var oe *OutcomeUnknownError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "ORDHTML1", oe.OrderID)
		})
	}
}

// TestPANApplicationFromFormPrintsNoToken prints and logs the result of a
// form answer whose action carries a session token, in every way a
// developer would: the token never shows, while the fields keep it.
func TestPANApplicationFromFormPrintsNoToken(t *testing.T) {
	page := strings.Replace(pfFormPage, `action="https://nsdl.example/pan"`,
		`action="https://nsdl.example/pan?session=SESSIONTOKEN77&amp;step=2"`, 1)
	srv, _ := pfServer(t, false, 200, "text/html", page)
	app, err := pfClient(t, srv).PAN.Request(context.Background(), pfParams)
	require.NoError(t, err)
	require.Contains(t, app.URL, "SESSIONTOKEN77", "the program keeps the URL")
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, nil))
	l.Info("app", "v", app, "value", *app)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("app", "v", app)
	for _, out := range []string{fmt.Sprintf("%v", app), fmt.Sprintf("%+v", app), fmt.Sprintf("%#v", app),
		fmt.Sprintf("%s", *app), fmt.Sprint(app.Form), buf.String()} {
		assert.NotContains(t, out, "SESSIONTOKEN77")
		assert.NotContains(t, out, "tok&en")
		assert.Contains(t, out, "nsdl.example/pan")
	}
}

func pfMustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

// TestPANFormCarryingAPIKeyIsUnusable: a form page that echoes the API key
// (in a hidden field, a field's name or the action's query, in any spelling
// the redaction knows) would hand the key to the applicant's browser and to
// the action's host: PAN.Request and PAN.Resume refuse it as
// ErrOutcomeUnknown, saying why without the key.
func TestPANFormCarryingAPIKeyIsUnusable(t *testing.T) {
	var pages []string
	for _, sp := range secrettest.Spellings(relAPIKey) {
		attr := html.EscapeString(sp) // golang.org/x/net/html escapes attributes too
		pages = append(pages,
			`<form method=post action="https://nsdl.example/pan"><input type=hidden name=req value=tok><input type=hidden name=api_key value="`+attr+`"></form>`,
			`<form method=post action="https://nsdl.example/pan?k=`+url.QueryEscape(sp)+`"><input type=hidden name=req value=tok></form>`,
			`<form method=post action="https://nsdl.example/pan"><input type=hidden name="`+attr+`" value=tok></form>`,
		)
	}
	for i, page := range pages {
		srv, _ := pfServer(t, false, 200, "text/html", page)
		c := pfClient(t, srv)
		app, err := c.PAN.Request(context.Background(), pfParams)
		require.ErrorIs(t, err, ErrOutcomeUnknown, "page %d: %s (app %v)", i, page, app)
		assert.Contains(t, err.Error(), "API key", "page %d", i)
		assert.NotContains(t, err.Error(), relAPIKey, "page %d", i)
		_, err = c.PAN.Resume(context.Background(), "ORDHTML1")
		require.ErrorIs(t, err, ErrOutcomeUnknown, "page %d", i)
	}
	// A form without the key stays usable.
	srv, _ := pfServer(t, false, 200, "text/html", pfFormPage)
	app, err := pfClient(t, srv).PAN.Request(context.Background(), pfParams)
	require.NoError(t, err)
	require.NotNil(t, app.Form)
}

// TestPANFormActionPortAsABrowserReadsIt: PAN.Request reads the action's
// port as a browser does: the API's own port written with leading zeros is
// the API's origin, and a port no browser goes to leaves no usable form;
// both are ErrOutcomeUnknown.
func TestPANFormActionPortAsABrowserReadsIt(t *testing.T) {
	page := func(action string) string {
		return `<form method="post" action="` + action + `"><input type="hidden" name="t" value="1"></form>`
	}
	var api string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(page(strings.Replace(api, "127.0.0.1:", "127.0.0.1:00", 1) + "/nsdl/pan")))
	}))
	t.Cleanup(srv.Close)
	api = srv.URL
	_, err := pfClient(t, srv).PAN.Request(context.Background(), pfParams)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "back to the API")

	for _, action := range []string{"https://nsdl.example:99999/pan", "https://nsdl.example:0/pan", "https://nsdl.example:65536/pan"} {
		srv, _ := pfServer(t, false, 200, "text/html", page(action))
		_, err := pfClient(t, srv).PAN.Resume(context.Background(), "ORDHTML1")
		require.ErrorIs(t, err, ErrOutcomeUnknown, action)
		assert.Contains(t, err.Error(), "port", action)
	}
}

// TestPANFormAnswerNamingAnotherOrderIsUnusable: a form whose field named
// like an order id (any ASCII case, '_' left out), or whose action's query
// parameter so named, holds another order than the one asked is not this
// call's hand-off: PAN.Request and PAN.Resume refuse it as
// ErrOutcomeUnknown about the order asked. The order asked in another ASCII
// case, or a blank one, is still usable.
func TestPANFormAnswerNamingAnotherOrderIsUnusable(t *testing.T) {
	const field = `<form method="post" action="https://nsdl.example/pan"><input type="hidden" name="req" value="tok">`
	for _, page := range []string{
		field + `<input type="hidden" name="orderid" value="PAN9999"></form>`,
		field + `<input type="hidden" name="Order_ID" value=" PAN9999 "></form>`,
		field + `<input type="hidden" name="ORDERID" value="ordhtml1"><input type="hidden" name="order_id" value="PAN9999"></form>`,
		field + `<input type="hidden" name="order_no" value="PAN9999"></form>`,
		field + `<input type="hidden" name="order.id" value="PAN9999"></form>`,
		field + `<input type="hidden" name="orderid[]" value="PAN9999"></form>`,
		field + `<input type="hidden" name="data[orderid]" value="PAN9999"></form>`,
		field + `<input type="hidden" name="req[order_id]" value="PAN9999"></form>`,
		`<form method="post" action="https://nsdl.example/pan?data[orderid]=PAN9999"><input type="hidden" name="req" value="tok"></form>`,
		field + `<button type="submit" name="orderid" value="PAN9999">Continue</button></form>`,
		field + `<button name="Order_ID" value="PAN9999">Continue</button></form>`,
		field + `<input type="submit" name="orderid" value="PAN9999"></form>`,
		`<form id="f" method="post" action="https://nsdl.example/pan"><input type="hidden" name="req" value="tok"></form><button form="f" name="orderid" value="PAN9999">x</button>`,
		`<form method="post" action="https://nsdl.example/pan?OrderId=PAN9999"><input type="hidden" name="req" value="tok"></form>`,
		`<form method="post" action="https://nsdl.example/pan?order_id=ORDHTML1&amp;orderid=ORDHTML1x"><input type="hidden" name="req" value="tok"></form>`,
	} {
		srv, _ := pfServer(t, false, 200, "text/html", page)
		c := pfClient(t, srv)
		for name, call := range map[string]func() (*PANApplication, error){
			"Request": func() (*PANApplication, error) { return c.PAN.Request(context.Background(), pfParams) },
			"Resume":  func() (*PANApplication, error) { return c.PAN.Resume(context.Background(), "ORDHTML1") },
		} {
			app, err := call()
			assert.Nil(t, app, name+" "+page)
			require.ErrorIs(t, err, ErrOutcomeUnknown, name+" "+page)
			assert.Contains(t, err.Error(), `"ORDHTML1"`, name)
			var oe *OutcomeUnknownError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "ORDHTML1", oe.OrderID, name)
		}
	}
	for _, page := range []string{
		`<form method="post" action="https://nsdl.example/pan?orderid=ordhtml1"><input type="hidden" name="order_id" value="OrdHtml1"></form>`,
		`<form method="post" action="https://nsdl.example/pan"><input type="hidden" name="orderid" value=""><input name="req" value="t"></form>`,
		`<form method="post" action="https://nsdl.example/pan"><input type="hidden" name="order_ref" value="PAN9999"></form>`,
	} {
		srv, _ := pfServer(t, false, 200, "text/html", page)
		app, err := pfClient(t, srv).PAN.Request(context.Background(), pfParams)
		require.NoError(t, err, page)
		require.NotNil(t, app.Form, page)
		assert.Equal(t, "ORDHTML1", app.OrderID)
	}
}

// TestPANFormAnswerWithNoscriptRefreshIsUnusable: a browser with scripts
// off reads the markup inside <noscript> and follows a meta refresh there
// (or resolves the action against a <base> there, or shows a form there):
// PAN.Request refuses such a page as ErrOutcomeUnknown.
func TestPANFormAnswerWithNoscriptRefreshIsUnusable(t *testing.T) {
	const form = `<form action="https://nsdl.example.com/x" method="post"><input type="hidden" name="a" value="1"></form>`
	for _, page := range []string{
		`<html><head><noscript><meta http-equiv="refresh" content="0;url=https://evil.example/"></noscript></head><body>` + form + `</body></html>`,
		`<html><body>` + form + `<noscript><meta http-equiv="Refresh" content="0;url=https://evil.example/"></noscript></body></html>`,
		`<html><head><noscript><base href="https://evil.example/"></noscript></head><body>` +
			`<form action="/x" method="post"><input type="hidden" name="a" value="1"></form></body></html>`,
	} {
		srv, _ := pfServer(t, false, 200, "text/html", page)
		app, err := pfClient(t, srv).PAN.Request(context.Background(), pfParams)
		assert.Nil(t, app, page)
		require.ErrorIs(t, err, ErrOutcomeUnknown, page)
	}
}

// TestPANFormAnswerWithRefreshHeaderIsUnusable: an HTML answer with a
// Refresh header sends the browser elsewhere by itself, whatever its form:
// PAN.Request refuses it as ErrOutcomeUnknown.
func TestPANFormAnswerWithRefreshHeaderIsUnusable(t *testing.T) {
	srv := testkit.ServeEcho(t, func(*http.Request) testkit.Answer {
		return testkit.Answer{ContentType: "text/html", Header: map[string]string{"Refresh": "0; url=https://evil.example/"}, Body: pfFormPage}
	})
	app, err := pfClient(t, srv).PAN.Request(context.Background(), pfParams)
	assert.Nil(t, app)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "Refresh")
	assert.NotContains(t, err.Error(), "evil.example")
}

// TestPANFormPageHoldingAPIKeyIsUnusable: a page that holds the API key
// anywhere, in any spelling the redaction knows (a button's value, a
// comment, a script, its text), hands it to the applicant's browser:
// PAN.Request refuses it as ErrOutcomeUnknown without quoting the key.
func TestPANFormPageHoldingAPIKeyIsUnusable(t *testing.T) {
	const form = `<form method="post" action="https://nsdl.example/pan"><input type="hidden" name="req" value="tok">`
	for _, sp := range secrettest.Spellings(relAPIKey) {
		attr := html.EscapeString(sp)
		for _, page := range []string{
			form + `<button name="k" value="` + attr + `">Go</button></form>`,
			form + `</form><!-- ` + attr + ` -->`,
			form + `</form><script>var k = "` + attr + `"; document.forms[0].submit()</script>`,
			form + `</form><p>key: ` + attr + `</p>`,
		} {
			srv, _ := pfServer(t, false, 200, "text/html", page)
			app, err := pfClient(t, srv).PAN.Request(context.Background(), pfParams)
			assert.Nil(t, app, page)
			require.ErrorIs(t, err, ErrOutcomeUnknown, page)
			assert.Contains(t, err.Error(), "API key", page)
			assert.NotContains(t, err.Error(), relAPIKey, page)
		}
	}
}

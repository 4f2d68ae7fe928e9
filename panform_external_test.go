package inexopay_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- PAN form pages through the sandbox ----

// pfReturnURL has characters that the sandbox's page must escape and the
// SDK must decode.
const pfReturnURL = "https://shop.example/pan/done?order=PF1&lang=en&x=<y>"

// pfVisit follows a PAN application the way a browser would without
// scripts: GET the URL of a JSON answer, or submit the form. It returns
// the page's body.
func pfVisit(t *testing.T, app *inexopay.PANApplication) string {
	t.Helper()
	ctx := context.Background()
	var req *http.Request
	var err error
	if app.Form == nil {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, app.URL, nil)
	} else {
		require.Equal(t, http.MethodPost, app.Form.Method)
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, app.Form.Action, strings.NewReader(app.Form.Fields.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	require.NoError(t, err)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode != http.StatusOK {
		return resp.Status
	}
	return string(body)
}

// TestE2EPANBothAnswers runs PAN.Request and PAN.Resume against the
// sandbox answering JSON and answering an HTML form: both charge the fee
// once and lead to the sandbox's NSDL page.
func TestE2EPANBothAnswers(t *testing.T) {
	ctx := context.Background()
	for _, answer := range []inexopaytest.PANAnswer{inexopaytest.PANAnswerJSON, inexopaytest.PANAnswerForm} {
		t.Run(answer.String(), func(t *testing.T) {
			srv := e2eServer(t, inexopaytest.WithPANAnswer(answer))
			c := srv.Client()
			params := e2ePAN("PF1")
			params.ReturnURL = pfReturnURL
			app, err := c.PAN.Request(ctx, params)
			require.NoError(t, err)
			assert.Equal(t, "PF1", app.OrderID)
			assert.Equal(t, inexopay.Rupees(1000)-inexopaytest.DefaultPANFee, srv.Balance(), "charged once")
			assert.Equal(t, 1, srv.Requests(inexopay.EndpointPANRequest))

			if answer == inexopaytest.PANAnswerJSON {
				assert.Nil(t, app.Form)
				assert.True(t, strings.HasPrefix(app.URL, srv.URL+"/sandbox/nsdl/pan?"), app.URL)
			} else {
				require.NotNil(t, app.Form)
				assert.Equal(t, srv.URL+"/sandbox/nsdl/pan", app.URL)
				assert.Equal(t, app.URL, app.Form.Action)
				assert.Equal(t, "POST", app.Form.Method)
				f := app.Form.Fields
				assert.Equal(t, []string{"mode", "orderid", "process_id", "req", "return_url", "txid"}, pfKeys(f),
					"the form the page submits on load, not the language form")
				assert.Equal(t, "PF1", f.Get("orderid"))
				assert.Equal(t, "K", f.Get("mode"))
				assert.Equal(t, pfReturnURL, f.Get("return_url"), "entities decoded")
				assert.Len(t, f.Get("req"), 32)
			}
			body := pfVisit(t, app)
			assert.Contains(t, body, "PAN application PF1 (new_pan, EKYC), status Pending")
			visits := srv.PANPageVisits()
			require.Len(t, visits, 1)
			assert.True(t, visits[0].Accepted)
			assert.Equal(t, "PF1", visits[0].OrderID)

			st, err := c.PAN.Status(ctx, "PF1")
			require.NoError(t, err)
			assert.Equal(t, inexopay.StatusPending, st.Status)

			// Resume hands out a fresh URL or form; the old form no longer works.
			again, err := c.PAN.Resume(ctx, "PF1")
			require.NoError(t, err)
			assert.Equal(t, "PF1", again.OrderID)
			assert.Equal(t, inexopay.Rupees(1000)-inexopaytest.DefaultPANFee, srv.Balance(), "resuming charges nothing")
			if answer == inexopaytest.PANAnswerForm {
				require.NotNil(t, again.Form)
				assert.Equal(t, srv.URL+"/sandbox/nsdl/pan_inc", again.URL)
				assert.NotEqual(t, app.Form.Fields.Get("txid"), again.Form.Fields.Get("txid"))
				assert.NotEqual(t, app.Form.Fields.Get("req"), again.Form.Fields.Get("req"))
				assert.Equal(t, "404 Not Found", pfVisit(t, app), "the first form expired")
				assert.False(t, srv.PANPageVisits()[1].Accepted)
			} else {
				assert.Nil(t, again.Form)
				assert.Contains(t, again.URL, "/sandbox/nsdl/pan_inc?")
			}
			assert.Contains(t, pfVisit(t, again), "PAN application PF1")

			require.NoError(t, srv.CompletePAN("PF1"))
			st, err = c.PAN.Status(ctx, "PF1")
			require.NoError(t, err)
			assert.Equal(t, inexopay.StatusSuccess, st.Status)
		})
	}
}

// TestE2EPANFormTamperedRefused: the sandbox's NSDL page takes only the
// form as handed out; a missing or changed token is refused and recorded.
func TestE2EPANFormTamperedRefused(t *testing.T) {
	srv := e2eServer(t, inexopaytest.WithPANAnswer(inexopaytest.PANAnswerForm))
	app, err := srv.Client().PAN.Request(context.Background(), e2ePAN("PF2"))
	require.NoError(t, err)
	good := app.Form.Fields
	for _, mutate := range []func(url.Values){
		func(v url.Values) { v.Del("req") },
		func(v url.Values) { v.Set("req", v.Get("req")+"x") },
		func(v url.Values) { v.Set("txid", "1") },
	} {
		bad := inexopay.RedirectForm{Action: app.Form.Action, Method: app.Form.Method, Fields: url.Values{}}
		for k, vs := range good {
			bad.Fields[k] = append([]string(nil), vs...)
		}
		mutate(bad.Fields)
		assert.Equal(t, "404 Not Found", pfVisit(t, &inexopay.PANApplication{Form: &bad}))
	}
	for _, v := range srv.PANPageVisits() {
		assert.False(t, v.Accepted)
	}
	assert.Contains(t, pfVisit(t, app), "PAN application PF2")
}

func pfKeys(v url.Values) []string {
	keys := slices.Collect(maps.Keys(v))
	slices.Sort(keys)
	return keys
}

// ---- PAN form pages in a real browser ----

// pfChromium returns the path of a Chromium binary: $INEXOPAY_CHROMIUM, or
// chromium on PATH (Debian's package). Outside CI a missing browser skips
// the test; in CI (CI=true) it fails it.
func pfChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("INEXOPAY_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; .ci/chromium.sh installs it (apt-get install chromium)")
	}
	t.Skip("chromium is not installed (apt-get install chromium); CI runs this test")
	return ""
}

// TestBrowserFollowsRedirectForm is the hand-off in a real browser: an app
// handler files a PAN application with the sandbox answering an HTML form
// and serves the form with WritePage; headless Chromium loads that page,
// which submits itself (under the page's own Content-Security-Policy), and
// arrives at the sandbox's NSDL page with every field of the form posted.
func TestBrowserFollowsRedirectForm(t *testing.T) {
	chromium := pfChromium(t)
	srv := e2eServer(t, inexopaytest.WithPANAnswer(inexopaytest.PANAnswerForm))
	client := srv.Client()

	var mu sync.Mutex
	var handed *inexopay.RedirectForm
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := e2ePAN("BROWSER1")
		params.ReturnURL = pfReturnURL
		pa, err := client.PAN.Request(r.Context(), params)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		if pa.Form == nil {
			http.Redirect(w, r, pa.URL, http.StatusSeeOther)
			return
		}
		mu.Lock()
		handed = pa.Form
		mu.Unlock()
		if err := pa.Form.WritePage(w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	defer app.Close()

	dom := pfBrowse(t, chromium, app.URL+"/pan/start")
	mu.Lock()
	form := handed
	mu.Unlock()
	require.NotNil(t, form, "the app served a form; chromium printed: %s", tail(dom, 2000))

	var posts []inexopaytest.PANPageVisit
	for _, v := range srv.PANPageVisits() {
		if v.Method == http.MethodPost {
			posts = append(posts, v)
		}
	}
	require.Len(t, posts, 1, "the browser posted the form once")
	assert.Equal(t, "/sandbox/nsdl/pan", posts[0].Path)
	assert.Equal(t, form.Fields, posts[0].Fields, "every field posted, none changed or added")
	assert.True(t, posts[0].Accepted)
	assert.Equal(t, "BROWSER1", posts[0].OrderID)
	// The DOM chromium printed is the NSDL page's, not the SDK's.
	assert.Contains(t, dom, "NSDL PAN application (sandbox)")
	assert.Contains(t, dom, "PAN application BROWSER1 (new_pan, EKYC), status Pending")
	assert.NotContains(t, dom, "inexopay-redirect")
}

// pfBrowse loads page in headless Chromium and returns the DOM it prints
// once the page (and any page it submits to) has loaded.
func pfBrowse(t *testing.T, chromium, page string) string {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--no-first-run", "--no-default-browser-check", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-extensions",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--dump-dom", page)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_CACHE_HOME="+dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Chromium starts helper processes: run it in its own process group
	// and end the whole group, on timeout and after it exits.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	require.NoError(t, cmd.Start())
	runErr := cmd.Wait()
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		t.Logf("ending chromium's process group: %v", err)
	}
	require.NoError(t, runErr, "chromium: %s", tail(stderr.String(), 2000))
	return stdout.String()
}

// pfArrival is what a test NSDL page was sent: the request's method and
// media type, and the fields it carried.
type pfArrival struct {
	method    string
	mediaType string
	fields    url.Values
}

// TestBrowserPostsRedirectFormInItsEnctype: an API answers PAN.Request with
// a form posted as multipart/form-data (with a hidden _charset_ field); the
// page WritePage writes for it makes headless Chromium post it to a test
// NSDL page as multipart/form-data, with exactly the form's fields.
func TestBrowserPostsRedirectFormInItsEnctype(t *testing.T) {
	chromium := pfChromium(t)
	arrived := make(chan pfArrival, 4)
	nsdl := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/pan" { // the browser asks for /favicon.ico too
			http.NotFound(w, r)
			return
		}
		a := pfArrival{method: r.Method}
		a.mediaType, _, _ = mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err := r.ParseMultipartForm(1 << 20); err == nil {
			a.fields = url.Values(r.MultipartForm.Value)
		}
		arrived <- a
		_, _ = io.WriteString(w, "<!DOCTYPE html><title>NSDL</title><p>NSDL test page</p>")
	}))
	defer nsdl.Close()
	api := testkit.ServeEcho(t, func(*http.Request) testkit.Answer {
		return testkit.Answer{ContentType: "text/html", Body: `<!DOCTYPE html><body onload="document.forms[0].submit()">` +
			`<form method="post" enctype="multipart/form-data" action="` + nsdl.URL + `/pan">` +
			`<input type="hidden" name="txid" value="50089349"><input type="hidden" name="req" value="a&amp;b=c +/d">` +
			`<input type="hidden" name="_charset_"></form></body>`}
	})
	client, err := inexopay.NewClient(inexopay.BodyAuth("pan_key_1234567890", "user"), inexopay.WithBaseURL(api.URL))
	require.NoError(t, err)

	var mu sync.Mutex
	var handed *inexopay.RedirectForm
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pa, err := client.PAN.Request(r.Context(), e2ePAN("BROWSER2"))
		if err != nil || pa.Form == nil {
			http.Error(w, fmt.Sprintf("no form: %v", err), http.StatusBadGateway)
			return
		}
		mu.Lock()
		handed = pa.Form
		mu.Unlock()
		if err := pa.Form.WritePage(w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	defer app.Close()

	dom := pfBrowse(t, chromium, app.URL+"/pan/start")
	mu.Lock()
	form := handed
	mu.Unlock()
	require.NotNil(t, form, "the app served a form; chromium printed: %s", tail(dom, 2000))
	assert.Equal(t, "multipart/form-data", form.Enctype)
	require.Len(t, arrived, 1, "the browser posted the form once; chromium printed: %s", tail(dom, 2000))
	got := <-arrived
	assert.Equal(t, http.MethodPost, got.method)
	assert.Equal(t, "multipart/form-data", got.mediaType, "posted in the form's encoding")
	assert.Equal(t, form.Fields, got.fields, "every field posted, none changed or added")
	assert.Equal(t, []string{"UTF-8"}, got.fields["_charset_"])
	assert.Contains(t, dom, "NSDL test page")
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

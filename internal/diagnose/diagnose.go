// Package diagnose runs the connection, TLS, credential, IP-binding and
// endpoint-path checks behind Client.Diagnose; it never sends a charging call.
package diagnose

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/call"
	table "github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/netutil"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// The names and results of the checks Client.Diagnose makes.
const (
	checkReachable   = "reachable"
	checkTLS         = "tls"
	checkProtocol    = "protocol"
	checkCredentials = "credentials"
	checkIPBinding   = "ip_binding"
	checkEndpoint    = "endpoint"

	checkOK      = "ok"
	checkFailed  = "fail"
	checkSkipped = "skipped"
)

// Check is the outcome of one check of a Diagnosis. Name is, in order,
// "reachable", "tls", "protocol", "credentials", "ip_binding", then one
// "endpoint" per endpoint, with its Endpoint, URL and HTTPStatus (0 without
// an answer). Result is "ok", "fail" or "skipped" (an earlier check
// failed); Detail says what was found and Fix, when set, what to try.
type Check struct {
	Name       string     `json:"name"`
	Endpoint   table.Name `json:"endpoint,omitempty"`
	URL        string     `json:"url,omitempty"`
	HTTPStatus int        `json:"http_status,omitempty"`
	Result     string     `json:"result"`
	Detail     string     `json:"detail"`
	Fix        string     `json:"fix,omitempty"`
}

// Diagnosis is what Client.Diagnose found. Protocol ("HTTP/2.0") and
// TLSVersion ("TLS 1.3") are empty when not negotiated.
type Diagnosis struct {
	BaseURL    string  `json:"base_url"`
	Protocol   string  `json:"protocol,omitempty"`
	TLSVersion string  `json:"tls_version,omitempty"`
	Checks     []Check `json:"checks"`
}

// OK reports whether no check failed.
func (d *Diagnosis) OK() bool { return len(d.Failed()) == 0 }

// Failed returns the checks that failed, in order.
func (d *Diagnosis) Failed() []Check {
	var out []Check
	for _, c := range d.Checks {
		if c.Result == checkFailed {
			out = append(out, c)
		}
	}
	return out
}

// maxProbeBody caps what Run reads of a probe's answer.
const maxProbeBody = 64 << 10

// Account is what the credentials and IP-binding checks read of the
// account status call.
type Account struct {
	OwnerName, Balance, Status, PlanName, BindIP, YourIP, IPStatus string
}

// Target is what Run checks: the base URL, each endpoint's URL, how
// attempts are sent, and the read-only account status call.
type Target struct {
	BaseURL       string
	URLs          map[table.Name]string
	UserAgent     string
	Transport     http.RoundTripper
	Timeout       time.Duration
	AccountStatus func(context.Context) (*Account, error)
}

// Run checks the host, TLS, protocol, credentials and IP binding, then
// probes each endpoint's path with an empty form without credentials (one
// POST each, never redirected, so nothing can be charged). Failed checks
// are in the Diagnosis; Run fails only with ctx's error (and the checks so
// far) when ctx ends.
func Run(ctx context.Context, c Target) (*Diagnosis, error) {
	d := &Diagnosis{BaseURL: c.BaseURL}
	first := c.probe(ctx, table.AccountStatus)
	if err := ctx.Err(); err != nil {
		return d, err
	}
	reachable := c.connectionChecks(d, first)

	if !reachable {
		const why = "Not checked: no usable connection to the host."
		d.Checks = append(d.Checks,
			Check{Name: checkCredentials, Result: checkSkipped, Detail: why},
			Check{Name: checkIPBinding, Result: checkSkipped, Detail: why})
		for _, e := range table.All {
			n := table.Name(e.Name)
			d.Checks = append(d.Checks, Check{Name: checkEndpoint, Endpoint: n, URL: c.URLs[n],
				Result: checkSkipped, Detail: why})
		}
		return d, nil
	}

	st, err := c.AccountStatus(ctx)
	if cerr := ctx.Err(); cerr != nil {
		return d, cerr
	}
	d.Checks = append(d.Checks, credentialsCheck(st, err), ipCheck(st, err))

	for _, e := range table.All {
		n := table.Name(e.Name)
		p := first
		if n != table.AccountStatus {
			p = c.probe(ctx, n)
			if err := ctx.Err(); err != nil {
				return d, err
			}
		}
		d.Checks = append(d.Checks, endpointCheck(n, c.URLs[n], p))
	}
	return d, nil
}

// probeResult is one answer (or failure) of an endpoint probe.
type probeResult struct {
	status      int
	proto       string
	tls         *tls.ConnectionState
	contentType string
	location    string
	body        []byte
	elapsed     time.Duration
	err         error
}

// probe posts an empty form without credentials to e's URL, once.
func (c Target) probe(ctx context.Context, e table.Name) probeResult {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URLs[e], strings.NewReader(""))
	if err != nil {
		return probeResult{err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	start := time.Now()
	hc := &http.Client{Transport: c.Transport, Timeout: c.Timeout, CheckRedirect: call.StopRedirects}
	resp, err := hc.Do(req)
	if err != nil {
		return probeResult{err: err, elapsed: time.Since(start)}
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxProbeBody))
	p := probeResult{status: resp.StatusCode, proto: resp.Proto, tls: resp.TLS, body: body, err: rerr,
		contentType: resp.Header.Get("Content-Type"), location: resp.Header.Get("Location"), elapsed: time.Since(start)}
	return p
}

// connectionChecks adds the reachability, TLS and protocol checks from
// the first probe and reports whether the host answered.
func (c Target) connectionChecks(d *Diagnosis, p probeResult) bool {
	u, _ := url.Parse(c.BaseURL)
	host := u.Hostname()
	certErr := certificateError(p.err)
	switch {
	case p.err == nil || p.status != 0:
		d.Checks = append(d.Checks, Check{Name: checkReachable, Result: checkOK,
			Detail: fmt.Sprintf("%s answered (HTTP %d in %s).", c.BaseURL, p.status, p.elapsed.Round(time.Millisecond))})
	case certErr != "":
		d.Checks = append(d.Checks, Check{Name: checkReachable, Result: checkOK,
			Detail: fmt.Sprintf("%s accepts connections, but its TLS certificate was refused.", c.BaseURL)})
	default:
		d.Checks = append(d.Checks,
			Check{Name: checkReachable, Result: checkFailed, Detail: fmt.Sprintf("%s did not answer: %v.", c.BaseURL, unwrapURLError(p.err)),
				Fix: "Check the base URL (WithBaseURL), DNS, firewalls and proxies; the documented hosts are https://secure.inexopay.in and https://mail.inexopay.in."},
			Check{Name: checkTLS, Result: checkSkipped, Detail: "Not checked: the host did not answer."},
			Check{Name: checkProtocol, Result: checkSkipped, Detail: "Not checked: the host did not answer."})
		return false
	}

	switch {
	case certErr != "":
		d.Checks = append(d.Checks, Check{Name: checkTLS, Result: checkFailed,
			Detail: "The TLS certificate of " + host + " is not valid: " + certErr + ".",
			Fix:    "Never turn certificate checks off; check the base URL's host name, the machine's clock and its CA certificates."},
			Check{Name: checkProtocol, Result: checkSkipped, Detail: "Not checked: no TLS connection."})
		return false
	case u.Scheme == "http" && netutil.IsLoopbackHost(host):
		d.Checks = append(d.Checks, Check{Name: checkTLS, Result: checkOK, Detail: "Plain http on loopback (a local sandbox): nothing leaves the machine."})
	case u.Scheme == "http":
		d.Checks = append(d.Checks, Check{Name: checkTLS, Result: checkOK,
			Detail: "Plain http (WithInsecureHTTP): the API key crosses the network unencrypted; https://secure.inexopay.in and https://mail.inexopay.in offer TLS."})
	case p.tls != nil:
		d.TLSVersion = tls.VersionName(p.tls.Version)
		detail := d.TLSVersion + ", certificate valid for " + host
		if len(p.tls.PeerCertificates) > 0 {
			cert := p.tls.PeerCertificates[0]
			detail += " until " + cert.NotAfter.UTC().Format("2006-01-02")
			if cert.Issuer.CommonName != "" {
				detail += " (issuer " + cert.Issuer.CommonName + ")"
			}
		}
		d.Checks = append(d.Checks, Check{Name: checkTLS, Result: checkOK, Detail: detail + "."})
	default:
		d.Checks = append(d.Checks, Check{Name: checkTLS, Result: checkOK, Detail: "https; the transport did not report the TLS connection."})
	}
	d.Protocol = p.proto
	d.Checks = append(d.Checks, Check{Name: checkProtocol, Result: checkOK, Detail: p.proto + "."})
	return true
}

// certificateError describes a TLS certificate failure in err, or "".
func certificateError(err error) string {
	if err == nil {
		return ""
	}
	var cve *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	switch {
	case errors.As(err, &ua):
		return "it is signed by an unknown authority"
	case errors.As(err, &he):
		return he.Error()
	case errors.As(err, &ci):
		return ci.Error()
	case errors.As(err, &cve):
		return cve.Err.Error()
	}
	return ""
}

// unwrapURLError drops the "Post \"url\":" prefix of a transport error.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func credentialsCheck(st *Account, err error) Check {
	ck := Check{Name: checkCredentials}
	switch {
	case err == nil && st.Status != "" && !strings.EqualFold(st.Status, "ACTIVE"):
		ck.Result = checkFailed
		ck.Detail = fmt.Sprintf("Accepted, but the account status is %q: INEXOPAY refuses calls until it is ACTIVE.", st.Status)
		ck.Fix = "Ask INEXOPAY to approve the account or renew the subscription."
	case err == nil:
		ck.Result = checkOK
		ck.Detail = fmt.Sprintf("Accepted: account of %s, status %s, plan %s, balance %s.", st.OwnerName, st.Status, st.PlanName, st.Balance)
	case errors.Is(err, apierr.ErrUnauthorized):
		ck.Result = checkFailed
		ck.Detail = "Refused: wrong API key or username (" + err.Error() + ")."
		ck.Fix = "Copy the API key and username again from the INEXOPAY dashboard."
	case errors.Is(err, apierr.ErrForbidden):
		ck.Result = checkFailed
		ck.Detail = "Refused with 403 (IP not whitelisted, account not approved, or subscription expired): " + err.Error() + "."
	default:
		ck.Result = checkFailed
		ck.Detail = "Account.Status failed: " + err.Error() + "."
	}
	return ck
}

func ipCheck(st *Account, err error) Check {
	ck := Check{Name: checkIPBinding}
	if err != nil {
		var ae *apierr.APIError
		if errors.As(err, &ae) && ae.HTTPStatus == http.StatusForbidden && strings.Contains(strings.ToLower(ae.Message), "ip") {
			ck.Result = checkFailed
			ck.Detail = "INEXOPAY refused this machine's IP (" + ae.Message + "): the API key is bound to another server's IP."
			ck.Fix = "Run from the server the key is bound to, or ask INEXOPAY to bind this machine's public IP."
			return ck
		}
		ck.Result, ck.Detail = checkSkipped, "Not checked: the credentials check failed."
		return ck
	}
	status := strings.ToUpper(strings.TrimSpace(st.IPStatus))
	switch {
	case st.BindIP == "" && (status == "" || strings.Contains(status, "NOT_BOUND") || status == "MATCHED"):
		ck.Result, ck.Detail = checkOK, "The API key is not bound to an IP."
	case status == "MATCHED" || status == "" && sameIPText(st.BindIP, st.YourIP):
		ck.Result = checkOK
		ck.Detail = fmt.Sprintf("The API key is bound to %s, and INEXOPAY sees this machine call from %s (ip_status %s).", st.BindIP, st.YourIP, orDash(st.IPStatus))
	default:
		ck.Result = checkFailed
		ck.Detail = fmt.Sprintf("The API key is bound to %s, but INEXOPAY sees this machine call from %s (ip_status %s): calls from here will be refused with 403 \"IP not whitelisted\".",
			orDash(st.BindIP), orDash(st.YourIP), orDash(st.IPStatus))
		ck.Fix = "Run from the server whose IP the key is bound to, or ask INEXOPAY to bind " + orDash(st.YourIP) + "."
	}
	return ck
}

func sameIPText(a, b string) bool {
	if a == b {
		return true
	}
	x, y := net.ParseIP(a), net.ParseIP(b)
	return x != nil && y != nil && x.Equal(y)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// endpointCheck judges one probe: a JSON refusal is an INEXOPAY endpoint;
// no answer, a redirect, a 404, a page that is not JSON, or a success
// without credentials is not.
func endpointCheck(e table.Name, u string, p probeResult) Check {
	ck := Check{Name: checkEndpoint, Endpoint: e, URL: u, HTTPStatus: p.status}
	path := u
	if pu, err := url.Parse(u); err == nil {
		path = pu.Path
	}
	fix := fmt.Sprintf("If INEXOPAY gave you another path for %s, use inexopay.WithPath(inexopay.%s, \"/the/right/path.php\").", e, table.ConstName(string(e)))
	body := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(p.body), answer.BOM))
	isJSON := len(body) > 0 && body[0] == '{' && json.Valid(body)
	switch {
	case p.status == 0:
		ck.Result, ck.Detail = checkFailed, fmt.Sprintf("%s: no answer: %v.", path, unwrapURLError(p.err))
	case p.status >= 300 && p.status <= 399:
		ck.Result = checkFailed
		ck.Detail = fmt.Sprintf("%s answers HTTP %d, a redirect to %s: not an INEXOPAY endpoint (or the base URL is wrong).", path, p.status, orDash(p.location))
		ck.Fix = fix
	case p.status == http.StatusNotFound:
		ck.Result = checkFailed
		ck.Detail = fmt.Sprintf("%s answers HTTP 404 Not Found: the path is probably wrong.", path)
		ck.Fix = fix
	case !isJSON:
		ck.Result = checkFailed
		what := "an empty answer"
		if len(body) > 0 {
			what = "a page that is not JSON"
			if s := answer.Snippet(body); s != "" {
				what += fmt.Sprintf(" (%q)", s)
			}
		}
		ck.Detail = fmt.Sprintf("%s answers HTTP %d with %s, content type %q: not an INEXOPAY endpoint (or an error page in front of it).", path, p.status, what, p.contentType)
		ck.Fix = fix
	default:
		var f wire.Failure
		_ = json.Unmarshal(body, &f)
		msg := string(f.Message)
		if len(msg) > 100 {
			msg = msg[:100] + "…"
		}
		if p.status >= 200 && p.status <= 299 && !f.Failed() {
			ck.Result = checkFailed
			ck.Detail = fmt.Sprintf("%s answered success (HTTP %d) to a request without credentials: that is not how INEXOPAY answers; check the base URL.", path, p.status)
			return ck
		}
		ck.Result = checkOK
		ck.Detail = fmt.Sprintf("%s answers like an INEXOPAY endpoint: a JSON refusal without credentials (HTTP %d, %q).", path, p.status, msg)
	}
	return ck
}

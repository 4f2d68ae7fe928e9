package inexopay

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/validate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain is the only TestMain of the root package: after every test (and
// every fuzz seed) has run it fails the binary when a goroutine is left
// behind, such as a connection read loop of a body nobody closed.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// The secrets the reliability tests send; none may ever show up in an error,
// a log line or fmt output.
const (
	relAPIKey      = "ik_live_5Qz8Wm2Rt7Yp3Kx9"
	relUsername    = "merchant01"
	relOTP         = "583914"
	relAgentPAN    = "BQKPM4821R"
	relCustomerPAN = "ZXCVB9876L"
	// relDocPAN and relDocAadhaar are the full PAN and Aadhaar number the
	// documented answers carry; results must not print them either.
	relDocPAN     = "NTFPS6013M"
	relDocAadhaar = "234567890124"
)

// relAadhaar is a valid (Verhoeff-checked) Aadhaar number.
var relAadhaar = func() string {
	const body = "49731286540"
	return body + string(validate.VerhoeffDigit(body))
}()

// relSecrets are the values scanned for in every output.
func relSecrets() []string {
	return []string{relAPIKey, relAadhaar, relOTP, relAgentPAN, relCustomerPAN, relDocPAN, relDocAadhaar}
}

// The documented success answers (inexopay-api.md), one per endpoint.
var relSuccess = map[Endpoint]string{
	EndpointAccountStatus:        `{"status_code":200,"status":"SUCCESS","message":"API Status Retrieved","data":{"owner_name":"Your Name","api_balance":1250.50,"api_status":"ACTIVE","plan_name":"Premium Plan","bind_ip":"103.XX.XX.XX","your_ip":"103.XX.XX.XX","ip_status":"MATCHED"}}`,
	EndpointAccountBalance:       `{"status":"SUCCESS","error_code":200,"message":"Balance fetched successfully","balance":1250.50,"username":"jojo"}`,
	EndpointOnboardAgent:         `{"status":true,"message":"Agent verified successfully..!! Now you can create your agent account.","data":{"txn_id":"NSDLP7","agent_id":"NSDLP7"}}`,
	EndpointOpenAccount:          `{"status":true,"message":"Success..!!","data":"https://nsdljiffy.co.in/jarvisjiffyBroker/accountOpen?signcs=abc","user":{"txn_id":"NSDLUCBDRJCBV","customer_id":838822}}`,
	EndpointBankAccountStatus:    `{"status":true,"message":"Success","data":{"id":34,"account_type":2,"txn_id":"NSDLUCBDRJCBV","first_name":"Binod","middle_name":null,"last_name":"Kumar","email":"binodk@gmail.com","phone":"7091919185","pancard":"NTFPS6013M","pincode":"852105","is_completed":1,"message":null,"status":1,"date":"2026-05-04T10:00:00.000000Z","is_refunded":0,"created_at":"2026-05-04T10:00:00.000000Z","updated_at":"2026-05-04T10:00:00.000000Z"}}`,
	EndpointBankAccountDetails:   `{"status":true,"message":"Success","data":{"id":34,"account_type":2,"txn_id":"NSDLUCBDRJCBV","first_name":"Binod","middle_name":null,"last_name":"Kumar","email":"binodk@gmail.com","phone":"7091919185","pancard":"NTFPS6013M","pincode":"852105","is_completed":1,"message":null,"status":1,"date":"2026-05-04T10:00:00.000000Z","is_refunded":0,"created_at":"2026-05-04T10:00:00.000000Z","updated_at":"2026-05-04T10:00:00.000000Z"}}`,
	EndpointIncompleteAccountURL: `{"status":true,"message":"Redirect URL retrieved successfully.","order_id":"testbank","txn_id":"NSDLUCBDRJCBV","account_url":"https://nsdljiffy.co.in/jarvisjiffyBroker/accountOpen?signcs=abc","status_in_db":"pending"}`,
	EndpointGenerateQR:           `{"status_code":200,"status":"SUCCESS","message":"QR generated successfully! Please scan and pay, then use check_status API to verify payment.","data":{"order_id":"WAL1234567890123","amount":100,"qr_url":"https://api.qrserver.com/v1/create-qr-code/","upi_id":"paytmqr5hcr1f@ptys","account_holder_name":"INEXOPAY","tx_string":"upi://pay?pa=paytmqr5hcr1f@ptys&pn=INEXOPAY&cu=INR&tn=WAL1234567890123&am=100&tr=WAL1234567890123","status":"pending"}}`,
	EndpointPaymentStatus:        `{"status_code":200,"status":"SUCCESS","data":{"order_id":"WAL1234567890123","amount":100,"status":"success","date_time":"2025-01-15 10:30:00","bank":"UPI QR - INEXOPAY (paytmqr5hcr1f@ptys)","mode":"API_UPI_QR","remark":"Online Wallet Load via API - Success - UTR: BANK123456","new_balance":1100}}`,
	EndpointPANRequest:           `{"status_code":200,"status":"SUCCESS","message":"PAN Application Initiated Successfully","data":{"txid":"50089349","url":"https://connect.inspay.in/nsdl/pan?process_id=2504&txid=50089349&mode=K","number":"9876543210","orderid":"ORD12345"}}`,
	EndpointPANStatus:            `{"status_code":200,"status":"SUCCESS","message":"Status fetched from portal","order_id":"ORD12345","reference":"OPB5020WJ7TM","number":"9876543210","amount":107.00,"date_time":"2025-01-15 10:30:00","data":{"status":"Success","orderid":"ORD12345","txid":"484340","amount":107,"opid":"OPB5020WJ7TM","number":"9876543210","created_at":"2026-05-04 18:23:40","updated_at":"2026-05-04 18:23:40"}}`,
	EndpointPANResume:            `{"status_code":200,"status":"SUCCESS","message":"Incomplete PAN Application Resumed","data":{"txid":"50089422","url":"https://connect.inspay.in/nsdl/pan_inc?process_id=2504&txid=50089422","orderid":"ORD12345"}}`,
	EndpointSendOTP:              `{"status_code":200,"status":"success","message":"Successfully generated One Time Password (OTP).","data":{"request_id":"ADHRVFR19052420260531_1e2d274","aadhaar":"` + relAadhaar + `","status":"pending"},"meta":{"request_id":"7c15b0c5-6f72-4487-a61a-9cfc8be80d78","time":"2025-01-15T10:30:00+00:00"}}`,
	EndpointVerifyOTP:            `{"status_code":200,"status":"success","message":"Aadhaar verification successful","data":{"request_id":"ADHRVFR19052420260531_1e2d274","status":"verified","aadhaar_details":{"full_name":"Shivam","dob":"01-01-2001","gender":"Male","address":"Nagla Sarai, Dabar, Agra, Uttar Pradesh, 283110"}},"meta":{"request_id":"86573ba4-c189-42c9-a61a-9cfc8be80d78","time":"2025-01-15T10:30:00+00:00"}}`,
}

// relCall drives one endpoint with fixed parameters.
type relCall struct {
	e Endpoint
	// orderID is the order id an *OutcomeUnknownError of this call carries.
	orderID string
	// params is what the call is given, for the fmt checks.
	params any
	call   func(ctx context.Context, c *Client) (any, error)
	// check asserts the values decoded from relSuccess[e].
	check func(t *testing.T, res any)
}

func relOnboardParams() *OnboardAgentParams {
	return &OnboardAgentParams{ShopName: "Kumar Telecom", Name: "Binod Kumar", Email: "binodk@example.com",
		Mobile: "7091919185", DateOfBirth: "1990-04-12", Address: "Main Road, Araria", StateName: "Bihar",
		CityName: "Araria", Pincode: "852105", PAN: relAgentPAN}
}

func relOpenParams() *OpenAccountParams {
	return &OpenAccountParams{OrderID: "ORDACC1", AccountType: CurrentAccount, BCAgentID: "NSDLP7",
		AgentPAN: relAgentPAN, FirstName: "Binod", LastName: "Kumar", Email: "binodk@example.com",
		Phone: "7091919185", PAN: relCustomerPAN, Pincode: "852105", ReturnURL: "https://merchant.example/return"}
}

// relBankCheck checks relSuccess's record, whose PAN is pan.
func relBankCheck(pan string) func(t *testing.T, res any) {
	return func(t *testing.T, res any) { relBankRecord(t, res.(*BankAccount), pan) }
}

func relBankRecord(t *testing.T, b *BankAccount, pan string) {
	assert.Equal(t, int64(34), b.ID)
	assert.Equal(t, CurrentAccount, b.AccountType)
	assert.Equal(t, "NSDLUCBDRJCBV", b.TxnID)
	assert.Equal(t, pan, b.PAN)
	assert.True(t, b.Completed)
	assert.Equal(t, 1, b.Status)
	assert.False(t, b.Refunded)
	assert.Equal(t, time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC), b.CreatedAt.UTC())
}

// relCalls returns the 14 endpoints with fresh params.
func relCalls() []relCall {
	onboard, open := relOnboardParams(), relOpenParams()
	details := &AccountDetailsParams{TxnID: "NSDLUCBDRJCBV"}
	qr := &GenerateQRParams{Amount: Rupees(100)}
	pan := &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345", Mode: PANModeEKYC, Type: PANTypeNew}
	send := &SendOTPParams{OrderID: "ADH1", AadhaarNumber: relAadhaar}
	verify := &VerifyOTPParams{OrderID: "ADH1", RequestID: "ADHRVFR19052420260531_1e2d274", OTP: relOTP, AadhaarNumber: relAadhaar}
	return []relCall{
		{e: EndpointAccountStatus, call: func(ctx context.Context, c *Client) (any, error) { return c.Account.Status(ctx) },
			check: func(t *testing.T, res any) {
				s := res.(*AccountStatus)
				assert.Equal(t, Amount(125050), s.Balance)
				assert.Equal(t, "ACTIVE", s.Status)
				assert.Equal(t, "MATCHED", s.IPStatus)
			}},
		{e: EndpointAccountBalance, call: func(ctx context.Context, c *Client) (any, error) { return c.Account.Balance(ctx) },
			check: func(t *testing.T, res any) {
				assert.Equal(t, &Balance{Amount: 125050, Username: "jojo", Message: "Balance fetched successfully"}, res)
			}},
		{e: EndpointOnboardAgent, params: onboard,
			call: func(ctx context.Context, c *Client) (any, error) { return c.NSDLBank.OnboardAgent(ctx, onboard) },
			check: func(t *testing.T, res any) {
				assert.Equal(t, &Agent{TxnID: "NSDLP7", AgentID: "NSDLP7",
					Message: "Agent verified successfully..!! Now you can create your agent account."}, res)
			}},
		{e: EndpointOpenAccount, orderID: "ORDACC1", params: open,
			call: func(ctx context.Context, c *Client) (any, error) { return c.NSDLBank.OpenAccount(ctx, open) },
			check: func(t *testing.T, res any) {
				assert.Equal(t, &AccountOpening{RedirectURL: "https://nsdljiffy.co.in/jarvisjiffyBroker/accountOpen?signcs=abc",
					TxnID: "NSDLUCBDRJCBV", CustomerID: 838822, Message: "Success..!!"}, res)
			}},
		{e: EndpointBankAccountStatus,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.NSDLBank.AccountStatus(ctx, relDocPAN) // the PAN of relSuccess's record
			},
			check: relBankCheck(MaskPAN(relDocPAN))}, // the echo of the PAN asked is held masked
		{e: EndpointBankAccountDetails, params: details,
			call:  func(ctx context.Context, c *Client) (any, error) { return c.NSDLBank.AccountDetails(ctx, details) },
			check: relBankCheck(relDocPAN)},
		{e: EndpointIncompleteAccountURL,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.NSDLBank.IncompleteAccountURL(ctx, "testbank")
			},
			check: func(t *testing.T, res any) {
				assert.Equal(t, &IncompleteAccount{OrderID: "testbank", TxnID: "NSDLUCBDRJCBV",
					AccountURL: "https://nsdljiffy.co.in/jarvisjiffyBroker/accountOpen?signcs=abc", Status: StatusPending,
					Message: "Redirect URL retrieved successfully."}, res)
			}},
		{e: EndpointGenerateQR, params: qr,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Wallet.GenerateQR(ctx, qr) },
			check: func(t *testing.T, res any) {
				q := res.(*WalletQR)
				assert.Equal(t, "WAL1234567890123", q.OrderID)
				assert.Equal(t, Amount(10000), q.Amount)
				assert.Equal(t, StatusPending, q.Status)
			}},
		{e: EndpointPaymentStatus,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Wallet.PaymentStatus(ctx, "WAL1234567890123")
			},
			check: func(t *testing.T, res any) {
				p := res.(*WalletPayment)
				assert.Equal(t, StatusSuccess, p.Status)
				assert.Equal(t, Amount(110000), p.NewBalance)
				assert.Equal(t, time.Date(2025, 1, 15, 5, 0, 0, 0, time.UTC), p.DateTime.UTC())
			}},
		{e: EndpointPANRequest, orderID: "ORD12345", params: pan,
			call: func(ctx context.Context, c *Client) (any, error) { return c.PAN.Request(ctx, pan) },
			check: func(t *testing.T, res any) {
				assert.Equal(t, &PANApplication{TxID: "50089349", URL: "https://connect.inspay.in/nsdl/pan?process_id=2504&txid=50089349&mode=K",
					Mobile: "9876543210", OrderID: "ORD12345", Message: "PAN Application Initiated Successfully"}, res)
			}},
		{e: EndpointPANStatus,
			call: func(ctx context.Context, c *Client) (any, error) { return c.PAN.Status(ctx, "ORD12345") },
			check: func(t *testing.T, res any) {
				s := res.(*PANStatus)
				assert.Equal(t, StatusSuccess, s.Status)
				assert.Equal(t, Amount(10700), s.Amount)
				assert.Equal(t, "OPB5020WJ7TM", s.Reference)
			}},
		{e: EndpointPANResume, orderID: "ORD12345",
			call: func(ctx context.Context, c *Client) (any, error) { return c.PAN.Resume(ctx, "ORD12345") },
			check: func(t *testing.T, res any) {
				assert.Equal(t, "50089422", res.(*PANApplication).TxID)
			}},
		{e: EndpointSendOTP, orderID: "ADH1", params: send,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Aadhaar.SendOTP(ctx, send) },
			check: func(t *testing.T, res any) {
				o := res.(*AadhaarOTP)
				assert.Equal(t, "ADHRVFR19052420260531_1e2d274", o.RequestID)
				assert.Equal(t, relAadhaar[8:], o.AadhaarLast4)
				assert.Equal(t, AadhaarPending, o.Status)
			}},
		{e: EndpointVerifyOTP, orderID: "ADH1", params: verify,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Aadhaar.VerifyOTP(ctx, verify) },
			check: func(t *testing.T, res any) {
				v := res.(*AadhaarVerification)
				assert.Equal(t, AadhaarVerified, v.Status)
				assert.Equal(t, "Shivam", v.Details.FullName)
			}},
	}
}

// relRequest is one request a relServer received.
type relRequest struct {
	Path string
	Body string
	Form url.Values
}

// relServer is a loopback API that records every request and answers with
// the handler the test gives; n counts requests from 1.
type relServer struct {
	*httptest.Server
	mu       sync.Mutex
	reqs     []relRequest
	newConns atomic.Int64
}

func newRelServer(t testing.TB, h func(n int, w http.ResponseWriter, r *http.Request)) *relServer {
	t.Helper()
	s := &relServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		s.mu.Lock()
		s.reqs = append(s.reqs, relRequest{Path: r.URL.Path, Body: string(body), Form: form})
		n := len(s.reqs)
		s.mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		h(n, w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.newConns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// count returns the number of requests received.
func (s *relServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

func (s *relServer) requests() []relRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]relRequest(nil), s.reqs...)
}

// relEndpointOf maps a request path back to its endpoint (default paths).
func relEndpointOf(path string) Endpoint {
	for e, info := range endpoints {
		if info.Path == path {
			return e
		}
	}
	return ""
}

// relRespond writes body as a JSON answer with the given status.
func relRespond(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// relDrop closes the connection without answering.
func relDrop(t testing.TB, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if !assert.NoError(t, err) {
		return
	}
	_ = conn.Close()
}

// relClient returns a Client for base with short retry waits; opts come
// last so they override the defaults.
func relClient(t testing.TB, base string, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{WithBaseURL(base), WithRetry(3, time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := NewClient(BodyAuth(relAPIKey, relUsername), all...)
	require.NoError(t, err)
	return c
}

// ---- Client set-ups every transport attack runs against ----

// idempotencyAuth is an Authenticator that, besides the credentials, sets
// the headers that make net/http treat a POST as replayable.
type idempotencyAuth struct{ Authenticator }

func (a idempotencyAuth) Authenticate(h http.Header, form url.Values) error {
	h.Set("Idempotency-Key", "key-1")
	h.Set("X-Idempotency-Key", "key-1")
	return a.Authenticator.Authenticate(h, form)
}

// atkSetup is one way a program sets up the SDK's transport.
type atkSetup struct {
	name string
	// client returns a Client for base that trusts pool (nil: plain http).
	client func(t *testing.T, base string, pool *x509.CertPool) *Client
}

// atkSetups are the set-ups every attack runs against: the SDK's own
// transport, a transport of the program's own given with WithHTTPClient, a
// middleware transport of the program's (like otelhttp: clones the request,
// wraps its body, and here also adds an Idempotency-Key) around net/http's,
// and an Authenticator that sets Idempotency-Key headers.
func atkSetups(own func(pool *x509.CertPool) http.RoundTripper) []atkSetup {
	return []atkSetup{
		{"sdk-transport", func(t *testing.T, base string, pool *x509.CertPool) *Client {
			c := relClient(t, base)
			trustTestCA(c, pool)
			t.Cleanup(func() { closeIdle(c) })
			return c
		}},
		{"own-transport", func(t *testing.T, base string, pool *x509.CertPool) *Client {
			tr := own(pool)
			t.Cleanup(func() {
				if ci, ok := tr.(interface{ CloseIdleConnections() }); ok {
					ci.CloseIdleConnections()
				}
			})
			return relClient(t, base, WithHTTPClient(&http.Client{Transport: tr}))
		}},
		{"middleware", func(t *testing.T, base string, pool *x509.CertPool) *Client {
			std := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, ForceAttemptHTTP2: true}
			t.Cleanup(std.CloseIdleConnections)
			return relClient(t, base, WithHTTPClient(&http.Client{Transport: middleware{std}}))
		}},
		{"idempotency-key", func(t *testing.T, base string, pool *x509.CertPool) *Client {
			c, err := NewClient(idempotencyAuth{BodyAuth(relAPIKey, relUsername)}, WithBaseURL(base),
				WithRetry(3, time.Millisecond, 5*time.Millisecond))
			require.NoError(t, err)
			trustTestCA(c, pool)
			t.Cleanup(func() { closeIdle(c) })
			return c
		}},
	}
}

// atkCtx bounds one attacked call in time.
func atkCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// middleware is a program's RoundTripper around net/http's: it clones the
// request, wraps its body to count bytes (as otelhttp does), and adds an
// Idempotency-Key header below the SDK.
type middleware struct{ next http.RoundTripper }

func (m middleware) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Idempotency-Key", "mw-1")
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = &countingBody{ReadCloser: r.Body}
	}
	return m.next.RoundTrip(r)
}

type countingBody struct {
	io.ReadCloser
	n int
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += n
	return n, err
}

// ---- Transport hooks for tests ----

// closeIdle closes the idle connections of the transport a Client sends
// with (the SDK itself never does), so that a test leaves no connection
// goroutine behind.
func closeIdle(c *Client) {
	if ci, ok := c.transport.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// trustTestCA makes the SDK's own transport of c trust pool (a test-only
// hook: the SDK offers no option for it). A nil pool changes nothing.
func trustTestCA(c *Client, pool *x509.CertPool) {
	if pool == nil {
		return
	}
	c.transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

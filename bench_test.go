package inexopay

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// The benchmarks compare the SDK with the best hand-written client: plain
// net/http and encoding/json posting the same form to the same loopback
// server and decoding the same answer. BENCHMARKS.md reports the ratios.

const (
	benchStatusBody = `{"status_code":200,"status":"SUCCESS","message":"API Status Retrieved","data":{"owner_name":"Your Name","api_balance":1250.50,"api_status":"ACTIVE","plan_name":"Premium Plan","bind_ip":"103.10.10.10","your_ip":"103.10.10.10","ip_status":"MATCHED"}}`
	benchPANBody    = `{"status_code":200,"status":"SUCCESS","message":"Status fetched from portal","order_id":"ORD12345","reference":"OPB5020WJ7TM","number":"9876543210","amount":107.00,"date_time":"2025-01-15 10:30:00","data":{"status":"Success","orderid":"ORD12345","txid":"484340","amount":107,"opid":"OPB5020WJ7TM","number":"9876543210","created_at":"2026-05-04 18:23:40","updated_at":"2026-05-04 18:23:40"}}`
	benchPANReqBody = `{"status_code":200,"status":"SUCCESS","message":"PAN Application Initiated Successfully","data":{"txid":"50089349","url":"https://connect.inspay.in/nsdl/pan?process_id=2504&txid=50089349&mode=K","number":"9876543210","orderid":"ORD12345"}}`
	benchQRBody     = `{"status_code":200,"status":"SUCCESS","message":"QR generated successfully! Please scan and pay, then use check_status API to verify payment.","data":{"order_id":"WAL1234567890123","amount":100,"qr_url":"https://api.qrserver.com/v1/create-qr-code/","upi_id":"paytmqr5hcr1f@ptys","account_holder_name":"INEXOPAY","tx_string":"upi://pay?pa=paytmqr5hcr1f@ptys&pn=INEXOPAY&cu=INR&tn=WAL1234567890123&am=100&tr=WAL1234567890123","status":"pending"}}`
)

func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	bodies := map[string][]byte{
		endpoints[EndpointAccountStatus].Path: []byte(benchStatusBody),
		endpoints[EndpointPANStatus].Path:     []byte(benchPANBody),
		endpoints[EndpointGenerateQR].Path:    []byte(benchQRBody),
		endpoints[EndpointPANRequest].Path:    []byte(benchPANReqBody),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(bodies[r.URL.Path])
	}))
	b.Cleanup(srv.Close)
	return srv
}

// rawClient is the hand-written baseline: what a careful developer writes
// with the standard library alone.
type rawClient struct {
	hc       *http.Client
	base     string
	key, usr string
}

func newRawClient(base string) *rawClient {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 128
	return &rawClient{hc: &http.Client{Transport: t, Timeout: 30 * time.Second}, base: base, key: "bench-key-123456", usr: "jojo"}
}

func (c *rawClient) post(ctx context.Context, path string, form url.Values, out any) error {
	form.Set("api_key", c.key)
	form.Set("username", c.usr)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	return json.Unmarshal(body, out)
}

type rawStatus struct {
	StatusCode int    `json:"status_code"`
	Status     string `json:"status"`
	Message    string `json:"message"`
	Data       struct {
		OwnerName  string      `json:"owner_name"`
		APIBalance json.Number `json:"api_balance"`
		APIStatus  string      `json:"api_status"`
		PlanName   string      `json:"plan_name"`
		BindIP     string      `json:"bind_ip"`
		YourIP     string      `json:"your_ip"`
		IPStatus   string      `json:"ip_status"`
	} `json:"data"`
}

type rawPANStatus struct {
	StatusCode int         `json:"status_code"`
	Status     string      `json:"status"`
	Message    string      `json:"message"`
	OrderID    string      `json:"order_id"`
	Reference  string      `json:"reference"`
	Number     string      `json:"number"`
	Amount     json.Number `json:"amount"`
	DateTime   string      `json:"date_time"`
	Data       struct {
		Status    string      `json:"status"`
		OrderID   string      `json:"orderid"`
		TxID      string      `json:"txid"`
		Amount    json.Number `json:"amount"`
		OpID      string      `json:"opid"`
		Number    string      `json:"number"`
		CreatedAt string      `json:"created_at"`
		UpdatedAt string      `json:"updated_at"`
	} `json:"data"`
}

type rawQR struct {
	StatusCode int    `json:"status_code"`
	Status     string `json:"status"`
	Message    string `json:"message"`
	Data       struct {
		OrderID           string      `json:"order_id"`
		Amount            json.Number `json:"amount"`
		QRURL             string      `json:"qr_url"`
		UPIID             string      `json:"upi_id"`
		AccountHolderName string      `json:"account_holder_name"`
		TxString          string      `json:"tx_string"`
		Status            string      `json:"status"`
	} `json:"data"`
}

type rawPANRequest struct {
	StatusCode int    `json:"status_code"`
	Status     string `json:"status"`
	Message    string `json:"message"`
	Data       struct {
		TxID    string `json:"txid"`
		URL     string `json:"url"`
		Number  string `json:"number"`
		OrderID string `json:"orderid"`
	} `json:"data"`
}

type benchCall struct {
	name string
	sdk  func(ctx context.Context, c *Client) error
	raw  func(ctx context.Context, c *rawClient) error
}

var benchCalls = []benchCall{
	{
		name: "AccountStatus",
		sdk: func(ctx context.Context, c *Client) error {
			_, err := c.Account.Status(ctx)
			return err
		},
		raw: func(ctx context.Context, c *rawClient) error {
			var out rawStatus
			return c.post(ctx, endpoints[EndpointAccountStatus].Path, url.Values{}, &out)
		},
	},
	{
		name: "PANStatus",
		sdk: func(ctx context.Context, c *Client) error {
			_, err := c.PAN.Status(ctx, "ORD12345")
			return err
		},
		raw: func(ctx context.Context, c *rawClient) error {
			var out rawPANStatus
			return c.post(ctx, endpoints[EndpointPANStatus].Path, url.Values{"orderid": {"ORD12345"}}, &out)
		},
	},
	{
		name: "GenerateQR",
		sdk: func(ctx context.Context, c *Client) error {
			_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: Rupees(100)})
			return err
		},
		raw: func(ctx context.Context, c *rawClient) error {
			var out rawQR
			return c.post(ctx, endpoints[EndpointGenerateQR].Path, url.Values{"amount": {"100"}}, &out)
		},
	},
	{
		name: "PANRequest",
		sdk: func(ctx context.Context, c *Client) error {
			_, err := c.PAN.Request(ctx, &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345",
				Mode: PANModeEKYC, Type: PANTypeNew})
			return err
		},
		raw: func(ctx context.Context, c *rawClient) error {
			var out rawPANRequest
			return c.post(ctx, endpoints[EndpointPANRequest].Path,
				url.Values{"number": {"9876543210"}, "orderid": {"ORD12345"}, "pan_mode": {"K"}, "pan_type": {"new"}}, &out)
		},
	},
}

// BenchmarkCall runs each call through the SDK and through the raw
// baseline, sequentially and with 64 goroutines sharing one client.
func BenchmarkCall(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	for _, bc := range benchCalls {
		b.Run(bc.name+"/sdk", func(b *testing.B) {
			c, err := NewClient(BodyAuth("bench-key-123456", "jojo"), WithBaseURL(srv.URL))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := bc.sdk(ctx, c); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/raw", func(b *testing.B) {
			c := newRawClient(srv.URL)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := bc.raw(ctx, c); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/sdk-64", func(b *testing.B) {
			c, err := NewClient(BodyAuth("bench-key-123456", "jojo"), WithBaseURL(srv.URL))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetParallelism(parallelism64())
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := bc.sdk(ctx, c); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
		b.Run(bc.name+"/raw-64", func(b *testing.B) {
			c := newRawClient(srv.URL)
			b.ReportAllocs()
			b.SetParallelism(parallelism64())
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := bc.raw(ctx, c); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkOverhead measures the SDK against the raw baseline in the same
// run, interleaved so that the drift of loopback timings on a small machine
// (±10% between separately run benchmarks) cancels out. "seq" pairs the two
// call by call, in alternating order, and times each; "par64" alternates
// phases of 640 calls in which 64 goroutines share one SDK client, or one
// raw client, and times each phase, which gives each client's throughput
// under full load (reported as sdk/raw-throughput).
func BenchmarkOverhead(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	for _, bc := range benchCalls {
		c, err := NewClient(BodyAuth("bench-key-123456", "jojo"), WithBaseURL(srv.URL))
		if err != nil {
			b.Fatal(err)
		}
		raw := newRawClient(srv.URL)
		b.Run(bc.name+"/seq", func(b *testing.B) {
			var sdkT, rawT time.Duration
			sdkD, rawD := make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				ds, dr, err := pairedCall(ctx, bc, c, raw, i%2 == 0)
				if err != nil {
					b.Fatal(err)
				}
				sdkT += ds
				rawT += dr
				sdkD, rawD = append(sdkD, ds), append(rawD, dr)
			}
			reportPaired(b, sdkT, rawT)
			// The medians are robust to the stalls other processes on a
			// shared machine cause, which land on either client at random.
			b.ReportMetric(float64(medianDuration(sdkD))/float64(max(medianDuration(rawD), 1)), "sdk/raw-med")
		})
		b.Run(bc.name+"/par64", func(b *testing.B) {
			// Alternating phases: 64 goroutines make only SDK calls, then
			// only raw calls, and so on; each phase's wall time over its
			// calls is that client's time per call at full load.
			const phase = 640
			var sdkT, rawT time.Duration
			var ratios []float64
			for done := 0; done < b.N; {
				k := min(phase, b.N-done)
				ds, err := runPhase(k, func() error { return bc.sdk(ctx, c) })
				if err != nil {
					b.Fatal(err)
				}
				sdkT += ds
				dr, err := runPhase(k, func() error { return bc.raw(ctx, raw) })
				if err != nil {
					b.Fatal(err)
				}
				rawT += dr
				ratios = append(ratios, float64(ds)/float64(max(dr, 1)))
				done += k
			}
			reportPaired(b, sdkT, rawT)
			// The median over pairs of adjacent phases.
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "sdk/raw-med")
			b.ReportMetric(float64(rawT)/float64(sdkT), "sdk/raw-throughput")
		})
	}
}

// runPhase makes n calls from 64 goroutines and returns the wall time.
func runPhase(n int, call func() error) (time.Duration, error) {
	var left atomic.Int64
	left.Store(int64(n))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	start := time.Now()
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				if err := call(); err != nil {
					mu.Lock()
					first = err
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start), first
}

// pairedCall makes one SDK call and one raw call, SDK first when sdkFirst,
// and returns how long each took.
func pairedCall(ctx context.Context, bc benchCall, c *Client, raw *rawClient, sdkFirst bool) (sdkD, rawD time.Duration, err error) {
	runSDK := func() error {
		t := time.Now()
		err := bc.sdk(ctx, c)
		sdkD = time.Since(t)
		return err
	}
	runRaw := func() error {
		t := time.Now()
		err := bc.raw(ctx, raw)
		rawD = time.Since(t)
		return err
	}
	first, second := runRaw, runSDK
	if sdkFirst {
		first, second = runSDK, runRaw
	}
	if err = first(); err == nil {
		err = second()
	}
	return sdkD, rawD, err
}

func reportPaired(b *testing.B, sdkT, rawT time.Duration) {
	if b.N == 0 || rawT == 0 {
		return
	}
	n := float64(b.N)
	b.ReportMetric(float64(sdkT.Nanoseconds())/n, "sdk-ns/call")
	b.ReportMetric(float64(rawT.Nanoseconds())/n, "raw-ns/call")
	b.ReportMetric(float64(sdkT)/float64(rawT), "sdk/raw")
}

// medianDuration returns the median of ds (sorting it).
func medianDuration(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// parallelism64 returns the RunParallel multiplier that gives 64
// goroutines with the current GOMAXPROCS.
func parallelism64() int {
	p := testingProcs()
	return max(1, (64+p-1)/p)
}

// benchEndpoints maps each endpoint to its documented answer in testdata
// and to a call of its SDK method.
var benchEndpoints = []struct {
	e    Endpoint
	file string
	wire func() wire.Headed
	call func(ctx context.Context, c *Client) error
}{
	{EndpointAccountStatus, "account_status", func() wire.Headed { return new(wire.AccountStatus) },
		func(ctx context.Context, c *Client) error { _, err := c.Account.Status(ctx); return err }},
	{EndpointAccountBalance, "account_balance", func() wire.Headed { return new(wire.Balance) },
		func(ctx context.Context, c *Client) error { _, err := c.Account.Balance(ctx); return err }},
	{EndpointOnboardAgent, "nsdl_onboard_agent", func() wire.Headed { return new(wire.Agent) },
		func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.OnboardAgent(ctx, &OnboardAgentParams{ShopName: "Shop", Name: "Binod Kumar",
				Email: "binodk@gmail.com", Mobile: "7091919185", DateOfBirth: "1990-01-01", Address: "Main Road",
				StateName: "Bihar", CityName: "Saharsa", Pincode: "852105", PAN: "NTFPS6013M"})
			return err
		}},
	{EndpointOpenAccount, "nsdl_open_account", func() wire.Headed { return new(wire.AccountOpening) },
		func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.OpenAccount(ctx, &OpenAccountParams{OrderID: "ORD1", AccountType: CurrentAccount,
				BCAgentID: "INX00001", AgentPAN: "NTFPS6013M", FirstName: "Binod", LastName: "Kumar",
				Email: "binodk@gmail.com", Phone: "7091919185", PAN: "ABCDE1234F", Pincode: "852105",
				ReturnURL: "https://example.com/done"})
			return err
		}},
	{EndpointBankAccountStatus, "nsdl_account_status", func() wire.Headed { return new(wire.BankAccountAnswer) },
		func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.AccountStatus(ctx, "NTFPS6013M")
			return err
		}},
	{EndpointBankAccountDetails, "nsdl_account_details", func() wire.Headed { return new(wire.BankAccountAnswer) },
		func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.AccountDetails(ctx, &AccountDetailsParams{TxnID: "NSDLUCBDRJCBV"})
			return err
		}},
	{EndpointIncompleteAccountURL, "nsdl_incomplete_url", func() wire.Headed { return new(wire.IncompleteAccount) },
		func(ctx context.Context, c *Client) error {
			_, err := c.NSDLBank.IncompleteAccountURL(ctx, "testbank")
			return err
		}},
	{EndpointGenerateQR, "wallet_generate_qr", func() wire.Headed { return new(wire.WalletQR) },
		func(ctx context.Context, c *Client) error {
			_, err := c.Wallet.GenerateQR(ctx, &GenerateQRParams{Amount: Rupees(100)})
			return err
		}},
	{EndpointPaymentStatus, "wallet_payment_status", func() wire.Headed { return new(wire.WalletPayment) },
		func(ctx context.Context, c *Client) error {
			_, err := c.Wallet.PaymentStatus(ctx, "WAL1234567890123")
			return err
		}},
	{EndpointPANRequest, "pan_request", func() wire.Headed { return new(wire.PANApplication) },
		func(ctx context.Context, c *Client) error {
			_, err := c.PAN.Request(ctx, &PANRequestParams{Mobile: "9876543210", OrderID: "ORD12345",
				Mode: PANModeEKYC, Type: PANTypeNew})
			return err
		}},
	{EndpointPANStatus, "pan_status", func() wire.Headed { return new(wire.PANStatus) },
		func(ctx context.Context, c *Client) error { _, err := c.PAN.Status(ctx, "ORD12345"); return err }},
	{EndpointPANResume, "pan_resume", func() wire.Headed { return new(wire.PANApplication) },
		func(ctx context.Context, c *Client) error { _, err := c.PAN.Resume(ctx, "ORD12345"); return err }},
	{EndpointSendOTP, "aadhaar_send_otp", func() wire.Headed { return new(wire.AadhaarOTP) },
		func(ctx context.Context, c *Client) error {
			_, err := c.Aadhaar.SendOTP(ctx, &SendOTPParams{OrderID: "ORD1", AadhaarNumber: benchAadhaar})
			return err
		}},
	{EndpointVerifyOTP, "aadhaar_verify_otp", func() wire.Headed { return new(wire.AadhaarVerification) },
		func(ctx context.Context, c *Client) error {
			_, err := c.Aadhaar.VerifyOTP(ctx, &VerifyOTPParams{OrderID: "ORD1",
				RequestID: "ADHRVFR19052420260531_1e2d274", OTP: "123456", AadhaarNumber: benchAadhaar})
			return err
		}},
}

func benchFixture(b *testing.B, dir string) []byte {
	b.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "responses", dir, "success.json"))
	if err != nil {
		b.Fatal(err)
	}
	if dir == "aadhaar_send_otp" {
		// The document's sample names another Aadhaar number than the one
		// the benchmark sends, which makes the answer unusable: it is made
		// about the number sent.
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			b.Fatal(err)
		}
		doc["data"].(map[string]any)["aadhaar"] = benchAadhaar
		if body, err = json.Marshal(doc); err != nil {
			b.Fatal(err)
		}
	}
	return body
}

// benchAadhaar is the (made-up, valid) Aadhaar number the benchmarks send.
const benchAadhaar = "234567890124"

// BenchmarkDecode measures decoding each documented answer into its wire
// type, without the network.
func BenchmarkDecode(b *testing.B) {
	for _, be := range benchEndpoints {
		body := benchFixture(b, be.file)
		b.Run(string(be.e), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := decodeBench(be.e, body, be.wire()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// memTransport answers every request with one body, in memory.
type memTransport struct{ body []byte }

func (m *memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"application/json"}},
		Body:    io.NopCloser(bytes.NewReader(m.body)),
		Request: r,
	}, nil
}

// BenchmarkClientOnly compares the SDK with the raw baseline over an
// in-memory transport: only the client's own work and allocations, without
// the server's share that BenchmarkCall includes for both.
func BenchmarkClientOnly(b *testing.B) {
	ctx := context.Background()
	bodies := map[string]string{"AccountStatus": benchStatusBody, "PANStatus": benchPANBody, "GenerateQR": benchQRBody,
		"PANRequest": benchPANReqBody}
	for _, bc := range benchCalls {
		hc := &http.Client{Transport: &memTransport{body: []byte(bodies[bc.name])}}
		b.Run(bc.name+"/sdk", func(b *testing.B) {
			c, err := NewClient(BodyAuth("bench-key-123456", "jojo"), WithBaseURL("https://api.invalid"), WithHTTPClient(hc))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := bc.sdk(ctx, c); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/raw", func(b *testing.B) {
			raw := newRawClient("https://api.invalid")
			raw.hc = hc
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := bc.raw(ctx, raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMethod measures every SDK method end to end (validation,
// encoding, auth, the retry layer, decoding, conversion) over an in-memory
// transport: the SDK's own cost per call, without sockets.
func BenchmarkMethod(b *testing.B) {
	ctx := context.Background()
	for _, be := range benchEndpoints {
		body := benchFixture(b, be.file)
		b.Run(string(be.e), func(b *testing.B) {
			c, err := NewClient(BodyAuth("bench-key-123456", "jojo"), WithBaseURL("https://api.invalid"),
				WithHTTPClient(&http.Client{Transport: &memTransport{body: body}}))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := be.call(ctx, c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

const benchWebhookBody = "orderid=ORD12345&order_id=ORD12345&status=success&remark=Transaction+Successful&datetime=2026-06-03+15%3A30%3A00&callback_type=global_webhook"

// BenchmarkParseWebhook measures ParseWebhook on the documented payload.
func BenchmarkParseWebhook(b *testing.B) {
	body := []byte(benchWebhookBody)
	rd := bytes.NewReader(body)
	req := httptest.NewRequest(http.MethodPost, "/webhook", rd)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Callback-Source", WebhookSource)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rd.Reset(body)
		ev, err := ParseWebhook(req)
		if err != nil || ev.OrderID != "ORD12345" {
			b.Fatal(ev, err)
		}
	}
}

// ---- Benchmark helpers ----

func testingProcs() int { return runtime.GOMAXPROCS(0) }

func decodeBench(e Endpoint, body []byte, out wire.Headed) error {
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}}
	if ae := answer.Decode(e, resp, body, out, wire.Asked{}, nil); ae != nil {
		return ae
	}
	return nil
}

// BenchmarkWallPerCPU measures what one microsecond of client CPU costs in
// the loopback time of a call on this machine: the raw client, paired call
// by call with the raw client plus a loop of known CPU time (burnLoop,
// timed alone) before the call ("before", as the SDK's form and request
// work) or after it ("after", as its answer checks), against the same
// server. wall-µs/cpu-µs is the growth of the median call time over the
// loop's own time: the client CPU a time ratio target allows
// (BENCHMARKS.md).
func BenchmarkWallPerCPU(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	raw := newRawClient(srv.URL)
	call := benchCalls[0].raw
	const n = 4000
	for _, after := range []bool{false, true} {
		name := "before"
		if after {
			name = "after"
		}
		b.Run(name, func(b *testing.B) {
			plain, burnt, loops := make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
			timedLoop := func() {
				t := time.Now()
				burnLoop(n)
				loops = append(loops, time.Since(t))
			}
			for i := 0; i < b.N; i++ {
				for k := range 2 {
					burn := (i+k)%2 == 0
					t := time.Now()
					if burn && !after {
						timedLoop()
					}
					if err := call(ctx, raw); err != nil {
						b.Fatal(err)
					}
					if burn && after {
						timedLoop()
					}
					if burn {
						burnt = append(burnt, time.Since(t))
					} else {
						plain = append(plain, time.Since(t))
					}
				}
			}
			loop := medianDuration(loops)
			b.ReportMetric(float64(loop.Nanoseconds()), "loop-ns")
			b.ReportMetric(float64(medianDuration(burnt)-medianDuration(plain))/float64(max(loop, 1)), "wall-µs/cpu-µs")
		})
	}
}

// burnSink keeps burnLoop's work from being optimised away.
var burnSink atomic.Int64

// burnLoop spends CPU without touching memory: n steps of arithmetic.
func burnLoop(n int) {
	x := burnSink.Load()
	for i := range n {
		x = x*31 + int64(i)
	}
	burnSink.Store(x)
}

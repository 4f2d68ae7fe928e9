// Package inexopaytest is an in-process sandbox of the INEXOPAY API for
// tests, in the spirit of net/http/httptest.
//
// NewServer starts an HTTP server on loopback that answers all 14 endpoints
// at the paths the SDK uses, with the documented JSON shapes, codes and
// messages, and keeps state in memory: one API account (API key, username,
// balance, plan, status, bound IP), NSDL agents and bank account openings,
// wallet loads, PAN applications and Aadhaar OTP requests. Server.Client
// returns an *inexopay.Client already pointed at it:
//
//	srv := inexopaytest.NewServer()
//	defer srv.Close()
//	client := srv.Client()
//	qr, err := client.Wallet.GenerateQR(ctx, &inexopay.GenerateQRParams{Amount: inexopay.Rupees(100)})
//	// ...
//	err = srv.CompleteWalletPayment(qr.OrderID) // the payer paid
//
// # State machine
//
// Wallet loads, account openings and PAN applications start pending and
// change state only through the test controls (CompleteWalletPayment,
// FailAccountOpening, CompletePAN, …) or the sandbox pages under /sandbox/.
// Every change posts a webhook (see below). Order ids are unique: a second
// OpenAccount, PAN.Request or Aadhaar.SendOTP with an order id already used
// answers the endpoint's failure envelope with the message
// MsgDuplicateOrderID and creates or charges nothing.
//
// PAN.Request charges the PAN fee (WithPANFee) from the balance and answers
// HTTP 402 when the balance is short. FailPAN refunds the fee and moves the
// application to "Refund" (webhook status "refund"). PAN.Request and
// PAN.Resume answer JSON by default; WithPANAnswer(PANAnswerForm) makes them
// answer with an HTML page whose form, submitted on load, posts the
// application to the sandbox's NSDL PAN page (as the mail.inexopay.in host
// does), charging the same fee. That page takes the form's fields only with
// the one-time req token of the latest form handed out, and records every
// visit (PANPageVisits).
//
// # Errors
//
// Authentication and authorization failures answer with the HTTP status
// equal to the code: 401 (missing or wrong credentials), 402 (insufficient
// balance), 403 (bound IP does not match, or account status not ACTIVE), 405
// (not POST). Business failures (a missing or invalid parameter, a duplicate
// or unknown order id, a wrong OTP) answer HTTP 200 with the endpoint's
// failure envelope: {"status_code":400,"status":"FAILED","message":…} on most
// endpoints, {"status":false,"message":…} on the NSDL bank endpoints and
// {"status":"FAILED","error_code":400,"message":…} on the balance endpoint.
//
// The sandbox judges requests by its own rules, as a lenient PHP back end
// would, not by the SDK's: values are trimmed, required fields must be
// present, and only obviously broken values are refused (a mobile that is
// not 10 digits, a PAN not of the form AAAAA9999A in any case, an Aadhaar
// number that is not 12 digits, an order id with control characters). So a
// test against it can show the SDK refusing what the API would take.
//
// # Faults
//
// InjectFault makes the next n calls of an endpoint fail the way real
// networks and back ends do: an HTML 500 or 502 page, an HTML form with
// HTTP 200 that posts over plain http (which the SDK must refuse), a delay,
// a connection dropped before the call is processed, or one dropped after
// it was processed (charged, created) so that a test can prove a lost
// answer is not charged twice. Requests counts the calls that
// arrived at an endpoint, faulted ones included. Both are also served over
// HTTP (see below).
//
// # Webhooks
//
// Each status change posts the documented form payload (orderid, order_id,
// status, remark, datetime in IST, callback_type) with the header
// X-Callback-Source: INEXOPAY-API, to the transaction's return_url when it
// had one (callback_type per_transaction) or else to the global webhook URL
// (global_webhook). A delivery that fails (transport error or non-2xx) is
// retried up to 10 times, waiting base, 2·base, 4·base, … between tries
// (WithWebhookBackoff). Deliveries go only to loopback hosts unless
// WithRemoteWebhooks is given. Deliveries and WaitDeliveries let a test
// inspect them without sleeping. Close stops every delivery in flight.
//
// # Sandbox pages and controls
//
// GET / is an index page for people who never read Go: every endpoint with
// its method, path, form fields (required or not, an example value) and a
// ready curl line with the server's URL and credentials, the controls
// below, and where webhooks go. It is plain text for curl and HTML for
// browsers, and it is built from the same tables as the routes and
// docs/endpoints.md, so it cannot drift from them.
//
// The URLs the API hands out (qr_url, the account opening redirect, the PAN
// URL) point at small HTML pages of the sandbox with "complete" and "fail"
// buttons, which land on a page saying what happened and where its webhook
// went. The test controls are also served over HTTP, so that apps in any
// language can drive the sandbox (see cmd/inexopay-sandbox). They take
// form fields and need no credentials:
//
//	GET  /                                         index page
//	GET  /sandbox/qr?order_id=WAL…                 wallet QR page
//	GET  /sandbox/nsdl/account_open?signcs=NSDL…   account opening page
//	GET  /sandbox/nsdl/pan?txid=…, /sandbox/nsdl/pan_inc?txid=…  PAN page
//	POST /sandbox/nsdl/pan, /sandbox/nsdl/pan_inc  the PAN page, from the form of PANAnswerForm
//	POST /sandbox/control/wallet/{complete,fail}   order_id
//	POST /sandbox/control/account/{complete,fail}  order_id
//	POST /sandbox/control/pan/{complete,fail}      order_id
//	POST /sandbox/control/aadhaar/otp              request_id → {"status":true,"message":"OK","otp":"…"}
//	POST /sandbox/control/balance                  amount (rupees)
//	POST /sandbox/control/account_status           status
//	POST /sandbox/control/bound_ip                 ip
//	POST /sandbox/control/webhook_url              url (the global webhook URL; "" removes it)
//	GET  /sandbox/control/deliveries               webhook deliveries as JSON
//	POST /sandbox/control/fault                    endpoint, kind, n, delay
//	GET  /sandbox/control/requests                 [endpoint]
//
// A control answers {"status":true,"message":"OK"}, or HTTP 404 (unknown
// order) or 400 (wrong state, bad parameter, with a message saying which)
// with {"status":false,…}; a wrong method answers 405.
//
// The fault control is InjectFault: endpoint is the SDK's Endpoint name
// (such as "PAN.Request") or the path the sandbox serves it at (such as
// "/api/nsdl-pan/v1/request_pan.php"); kind is one of http500, http502,
// html_form, delay, drop and drop_after_processing (FaultHTTP500 …
// FaultDropAfterProcessing); n is how many of the next calls fail (1 to
// 1000000, default 1); delay is a Go duration such as "250ms", required for
// kind delay and refused for the other kinds. It answers what it queued:
//
//	{"status":true,"message":"OK","endpoint":"PAN.Request","path":"/api/nsdl-pan/v1/request_pan.php","kind":"drop","n":1}
//
// The requests control is Requests, and also takes POST. With endpoint (a
// name or path) it answers {"status":true,"message":"OK","endpoint":…,
// "requests":N}; without, the counts of all 14 endpoints by name:
// {"status":true,"message":"OK","requests":{"Account.Status":0,…}}.
//
// The deliveries control answers {"status":true,"message":"OK","deliveries":
// [{"order_id":…,"url":…,"callback_type":…,"status":…,"attempts":N,
// "last_status":N,"delivered":bool,"done":bool[,"error":…]}]}, with the query
// values of URLs (such as ?token=) masked.
//
// A request whose body is JSON, multipart or anything but a form is answered
// HTTP 415 with a message saying that the API takes
// application/x-www-form-urlencoded fields.
//
// # Log
//
// WithRequestLog writes one line per API request (time, endpoint, path,
// order id, attempt, HTTP status, body code, duration, a refusal's message)
// and per webhook attempt (URL, order id, status, callback type, attempt,
// HTTP status, duration, outcome), and a line for each webhook not sent and
// why. Secrets never appear in it.
//
// Nothing here talks to the real INEXOPAY API.
package inexopaytest

// Package inexopay is the typed Go client for the INEXOPAY API: API status
// and balance, NSDL bank agent onboarding and account opening, wallet loads
// by UPI QR, NSDL PAN applications, Aadhaar verification by OTP, and the
// status webhooks INEXOPAY posts back.
//
// # Quick start
//
// Create one Client and share it; every call takes a context first:
//
//	client, err := inexopay.NewClient(
//		inexopay.BodyAuth(os.Getenv("INEXOPAY_API_KEY"), os.Getenv("INEXOPAY_USERNAME")),
//	)
//	if err != nil {
//		return err
//	}
//	bal, err := client.Account.Balance(ctx)
//	if err != nil {
//		return err
//	}
//	fmt.Println("balance:", bal.Amount) // 1250.50
//
//	app, err := client.PAN.Request(ctx, &inexopay.PANRequestParams{
//		Mobile:  "9876543210",
//		OrderID: inexopay.NewOrderID("PAN"),
//		Mode:    inexopay.PANModeEKYC,
//		Type:    inexopay.PANTypeNew,
//	})
//
// The services are Client.Account, Client.NSDLBank, Client.Wallet,
// Client.PAN and Client.Aadhaar. Options (WithBaseURL, WithRetry,
// WithLogger, WithPath, …) configure the client; HeaderAuth sends the
// credentials in headers instead of the body.
//
// To test without the real API (which costs money per call), use the
// sandbox in package inexopaytest: inexopaytest.NewServer().Client() is a
// Client pointed at an in-process, stateful copy of the API.
//
// # Passing input
//
// One rule holds for every call, and for every call added later:
//
//   - The context comes first.
//   - A call that needs nothing else takes nothing else
//     (Client.Account.Balance(ctx)).
//   - A call that needs exactly one required identifier takes it as a
//     positional string (Client.PAN.Status(ctx, orderID)).
//   - A call that needs anything more takes a pointer to a params struct
//     named after it (Client.PAN.Request(ctx, &PANRequestParams{…})); optional
//     inputs are fields of that struct, never extra parameters.
//   - Per-call settings that are not API input (response information, extra
//     headers, retries, poll intervals) are CallOption values, always last.
//
// # Money
//
// Amounts are Amount values in paise, decoded exactly from whatever the API
// sends (1250.50, "1250.50", "107.00"): no float rounding.
//
// # Errors
//
// Every failure is typed and works with errors.Is and errors.As:
//
//   - *ValidationError (errors.Is ErrInvalidParams): the SDK refused the
//     call before sending anything; Field names the parameter.
//   - *APIError: the API said no, with a non-2xx HTTP status or in the body
//     of an HTTP 200 answer (status false, status "FAILED", a non-2xx
//     status_code or error_code), or answered with something that is not
//     JSON. It matches ErrBadRequest (400), ErrUnauthorized (401),
//     ErrInsufficientBalance (402), ErrForbidden (403), ErrNotFound
//     ("Record Not Found", respcode 99), ErrMethodNotAllowed (405),
//     ErrRateLimited (429) or ErrServer (5xx, non-JSON).
//   - *OutcomeUnknownError (errors.Is ErrOutcomeUnknown): a call that creates
//     or charges may have reached the API but no answer came back. The SDK
//     never retries such a call then; check the order's status before trying
//     again, so nothing is charged twice.
//
// Read-only calls are retried on connection errors, 429 and 5xx with
// jittered exponential backoff, honouring Retry-After up to the maximum
// wait; calls that create or charge reach the API at most once, over
// HTTP/1.1 and HTTP/2 and with any transport: they are retried only when the
// transport failed before reading a byte of the request, and net/http is
// never able to send them again by itself.
//
// No error (its text, or any error reachable from it with errors.As or
// Unwrap), log line, or %v, %+v, %#v or slog output of the SDK's values
// contains the API key, an Aadhaar number (beyond its last 4 digits), an
// OTP or a full PAN, even when the API echoes one back escaped or spelled
// otherwise. Fields that hold such data carry a mask struct tag, and their
// types print them masked while the fields keep the values.
//
// # Webhooks
//
// Mount WebhookHandler in your own mux; it answers 200 when your function
// returns nil and 500 when it fails or panics, so that INEXOPAY retries;
// with WithWebhookDedup each change reaches your function once:
//
//	mux.Handle("/inexopay/webhook", inexopay.WebhookHandler(
//		func(ctx context.Context, ev *inexopay.WebhookEvent) error {
//			// The payload is unsigned and does not name the product:
//			// find the order in your records, then ask that product's
//			// status call (the README shows it for every product).
//			return confirmOrder(ctx, ev.OrderID) // an error: 500, INEXOPAY retries
//		},
//		inexopay.WithWebhookToken(secret),
//		inexopay.WithWebhookDedup(nil),
//	))
//
// ParseWebhook parses one request yourself when you need more control.
package inexopay

// Package inexopay is the typed Go client for the INEXOPAY API: account
// status and balance, NSDL bank accounts, wallet loads by UPI QR, NSDL PAN
// applications, Aadhaar verification by OTP, and the webhooks INEXOPAY
// posts back. The README (sections named below) has the details.
//
// # Quick start
//
// Create one [Client] and share it; it is safe for concurrent use:
//
//	client, err := inexopay.NewClient(
//		inexopay.BodyAuth(os.Getenv("INEXOPAY_API_KEY"), os.Getenv("INEXOPAY_USERNAME")),
//	)
//	if err != nil {
//		return err
//	}
//	bal, err := client.Account.Balance(ctx)
//
// To test without the real API (which charges per call),
// inexopaytest.NewServer().Client() is a Client pointed at an in-process,
// stateful sandbox.
//
// # Passing input
//
// The context comes first. A call that needs one required identifier takes
// it as a positional string (client.PAN.Status(ctx, orderID)); a call that
// needs more takes a pointer to a params struct named after it
// (client.PAN.Request(ctx, &inexopay.PANRequestParams{…})), whose fields
// hold every optional input. Settings that are not API input
// ([WithResponseInfo], [WithHeader], [WithMaxRetries], [WithPollInterval])
// are [CallOption] values, always last. [WithObserver] reports every call
// and attempt (docs/client.md, "Observing calls").
//
// # Errors
//
// A [*ValidationError] (matching [ErrInvalidParams]) means nothing was sent;
// an [*APIError] is the API's refusal and matches a sentinel such as
// [ErrUnauthorized] or [ErrNotFound]; an [*OutcomeUnknownError] (matching
// [ErrOutcomeUnknown]) means a call that creates or charges may have
// reached the API but no answer came back: check the order's status before
// trying again (README "Errors").
//
// # Guarantees
//
// Read-only calls are retried with backoff; calls that create or charge
// reach the API at most once. No error, log line, fmt verb or slog output
// of the SDK holds the API key, an OTP, a full Aadhaar number or a full PAN
// (docs/guarantees.md).
//
// # Webhooks
//
// Mount [WebhookHandler] in your mux; it answers 500 when your function
// fails, so that INEXOPAY retries, and with [WithWebhookDedup] each change
// reaches your function once (README "Webhooks"):
//
//	mux.Handle("/inexopay/webhook", inexopay.WebhookHandler(
//		func(ctx context.Context, ev *inexopay.WebhookEvent) error {
//			return confirmOrder(ctx, ev.OrderID) // find the order, ask its status call
//		},
//		inexopay.WithWebhookToken(secret),
//		inexopay.WithWebhookDedup(nil),
//	))
package inexopay

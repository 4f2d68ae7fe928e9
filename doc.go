// Package inexopay is the typed Go client for the INEXOPAY API: account status and balance, NSDL
// bank accounts, wallet loads by UPI QR, NSDL PAN applications, Aadhaar verification by OTP, and
// the webhooks INEXOPAY posts back. Create one [Client] and share it; it is safe for concurrent
// use. inexopaytest.NewServer().Client() is one pointed at an in-process sandbox, for tests:
//
//	client, err := inexopay.NewClient(
//		inexopay.BodyAuth(os.Getenv("INEXOPAY_API_KEY"), os.Getenv("INEXOPAY_USERNAME")),
//	)
//	if err != nil {
//		return err
//	}
//	bal, err := client.Account.Balance(ctx)
//
// Calls take the context first, then one identifier or a params struct named after the call, then
// [CallOption] values. A [*ValidationError] means nothing was sent; an [*APIError] is the API's
// refusal (match it with errors.Is on [ErrUnauthorized], [ErrNotFound], …); an
// [*OutcomeUnknownError] means a call that charges may have reached the API: check the order's
// status before trying again. Read-only calls are retried; calls that create or charge reach the
// API at most once; no error, log line or fmt output holds the API key, an OTP, a full Aadhaar
// number or a full PAN. [WebhookHandler] serves webhooks. The README and docs/ (client.md,
// outcomes.md, guarantees.md, webhooks.md) have the details.
package inexopay

// Package inexopay is the typed Go client for the INEXOPAY API: account, NSDL bank accounts, UPI
// wallet loads, PAN applications, Aadhaar OTP checks and webhooks. Share one [Client]:
//
//	client, err := inexopay.NewClient(inexopay.BodyAuth(apiKey, username))
//
// A [*ValidationError]: nothing sent. An [*APIError]: the API's refusal. An
// [*OutcomeUnknownError]: check the order's status first. See docs/outcomes.md.
package inexopay

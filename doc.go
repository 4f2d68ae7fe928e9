// Package inexopay is the typed Go client for the INEXOPAY API: account, NSDL bank accounts, UPI
// wallet loads, PAN applications, Aadhaar OTP checks and webhooks. Share one [Client]:
//
//	client, err := inexopay.NewClient(inexopay.BodyAuth(apiKey, username))
//
// A [*ValidationError] means nothing was sent, an [*APIError] is the API's refusal, and an
// [*OutcomeUnknownError] means a charging call may have reached the API: check the order's status
// before trying again. See the README and docs/outcomes.md.
package inexopay

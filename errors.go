package inexopay

import (
	"github.com/inexopay/inexopay-go/internal/apierr"
	iendpoints "github.com/inexopay/inexopay-go/internal/endpoints"
)

// This file holds the names the root re-exports from the machinery: the errors and sentinels
// (internal/apierr) and the endpoints (internal/endpoints).

// Sentinel errors, matched with errors.Is against the errors the SDK returns. A 400 whose message
// says "not found" matches both [ErrBadRequest] and [ErrNotFound].
var (
	// ErrBadRequest: the API rejected the parameters (400, or a failure reported without a code).
	ErrBadRequest = apierr.ErrBadRequest
	// ErrUnauthorized: the API key or username is wrong (401).
	ErrUnauthorized = apierr.ErrUnauthorized
	// ErrInsufficientBalance: the API balance cannot pay for the call (402).
	ErrInsufficientBalance = apierr.ErrInsufficientBalance
	// ErrForbidden: IP not whitelisted, account not approved or subscription expired (403).
	ErrForbidden = apierr.ErrForbidden
	// ErrNotFound: no such record ("Record Not Found", respcode 99, 404).
	ErrNotFound = apierr.ErrNotFound
	// ErrMethodNotAllowed: the endpoint refused the HTTP method (405).
	ErrMethodNotAllowed = apierr.ErrMethodNotAllowed
	// ErrRateLimited: the API asked to slow down (429); a charging call is not retried.
	ErrRateLimited = apierr.ErrRateLimited
	// ErrServer: the API failed (5xx) or its answer was not JSON.
	ErrServer = apierr.ErrServer
	// ErrInvalidParams is matched by every *ValidationError: nothing was sent.
	ErrInvalidParams = apierr.ErrInvalidParams
	// ErrOutcomeUnknown is matched by an *OutcomeUnknownError: a charge may have gone through.
	ErrOutcomeUnknown = apierr.ErrOutcomeUnknown
)

// APIError is an error the INEXOPAY API reported. See docs/outcomes.md.
type APIError = apierr.APIError

// ValidationError lists the parameters refused before sending.
type ValidationError = apierr.ValidationError

// FieldError is one bad parameter of a [*ValidationError].
type FieldError = apierr.FieldError

// OutcomeUnknownError means a charging call may have reached the API; check OrderID's status before
// trying again.
type OutcomeUnknownError = apierr.OutcomeUnknownError

// Endpoint names one API call, as "Service.Method". See docs/outcomes.md.
type Endpoint = iendpoints.Name

// The endpoints of the INEXOPAY API.
const (
	EndpointAccountStatus        Endpoint = "Account.Status"
	EndpointAccountBalance       Endpoint = "Account.Balance"
	EndpointOnboardAgent         Endpoint = "NSDLBank.OnboardAgent"
	EndpointOpenAccount          Endpoint = "NSDLBank.OpenAccount"
	EndpointBankAccountStatus    Endpoint = "NSDLBank.AccountStatus"
	EndpointBankAccountDetails   Endpoint = "NSDLBank.AccountDetails"
	EndpointIncompleteAccountURL Endpoint = "NSDLBank.IncompleteAccountURL"
	EndpointGenerateQR           Endpoint = "Wallet.GenerateQR"
	EndpointPaymentStatus        Endpoint = "Wallet.PaymentStatus"
	EndpointPANRequest           Endpoint = "PAN.Request"
	EndpointPANStatus            Endpoint = "PAN.Status"
	EndpointPANResume            Endpoint = "PAN.Resume"
	EndpointSendOTP              Endpoint = "Aadhaar.SendOTP"
	EndpointVerifyOTP            Endpoint = "Aadhaar.VerifyOTP"
)

// endpoints is built from the one endpoint table, internal/endpoints, which also generates
// docs/endpoints.md and the sandbox's index page: the default path of each Endpoint and whether a
// call to it creates or charges something (and so is never sent twice once it may have reached the
// API).
var endpoints = func() map[Endpoint]iendpoints.Endpoint {
	m := make(map[Endpoint]iendpoints.Endpoint, len(iendpoints.All))
	for _, e := range iendpoints.All {
		m[Endpoint(e.Name)] = e
	}
	return m
}()

package inexopay

import iendpoints "github.com/inexopay/inexopay-go/internal/endpoints"

// Endpoint names one API call, as "Service.Method". Errors carry it, and
// [WithPath] takes it to change the path the SDK posts to.
// It is the type internal/endpoints names; see docs/endpoints.md.
type Endpoint = iendpoints.Name

// The endpoints of the INEXOPAY API.
const (
	EndpointAccountStatus        = iendpoints.AccountStatus
	EndpointAccountBalance       = iendpoints.AccountBalance
	EndpointOnboardAgent         = iendpoints.OnboardAgent
	EndpointOpenAccount          = iendpoints.OpenAccount
	EndpointBankAccountStatus    = iendpoints.BankAccountStatus
	EndpointBankAccountDetails   = iendpoints.BankAccountDetails
	EndpointIncompleteAccountURL = iendpoints.IncompleteAccountURL
	EndpointGenerateQR           = iendpoints.GenerateQR
	EndpointPaymentStatus        = iendpoints.PaymentStatus
	EndpointPANRequest           = iendpoints.PANRequest
	EndpointPANStatus            = iendpoints.PANStatus
	EndpointPANResume            = iendpoints.PANResume
	EndpointSendOTP              = iendpoints.SendOTP
	EndpointVerifyOTP            = iendpoints.VerifyOTP
)

// endpoints is built from the one endpoint table, internal/endpoints, which
// also generates docs/endpoints.md and the sandbox's index page: the default
// path of each Endpoint and whether a call to it creates or charges
// something (and so is never sent twice once it may have reached the API).
var endpoints = func() map[Endpoint]iendpoints.Endpoint {
	m := make(map[Endpoint]iendpoints.Endpoint, len(iendpoints.All))
	for _, e := range iendpoints.All {
		m[Endpoint(e.Name)] = e
	}
	return m
}()

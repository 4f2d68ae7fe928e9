package inexopay

import iendpoints "github.com/inexopay/inexopay-go/internal/endpoints"

// Endpoint names one API call, as "Service.Method". Errors carry it, and
// [WithPath] takes it to change the path the SDK posts to.
// It is the type internal/endpoints names; see docs/endpoints.md.
type Endpoint = iendpoints.Name

// The endpoints of the INEXOPAY API (the same values as internal/endpoints'
// Name constants).
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

package inexopay

import table "github.com/inexopay/inexopay-go/internal/endpoints"

// Endpoint names one API call, as "Service.Method". Use it with WithPath to
// change the path the SDK posts to.
type Endpoint string

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

// endpointInfo is what the SDK knows of an endpoint: its default path and
// whether a call creates or charges something (and so is never retried once
// it may have reached the API).
type endpointInfo struct {
	path     string
	charging bool
}

// endpoints is built from the one endpoint table, internal/endpoints, which
// also generates docs/endpoints.md and the sandbox's index page.
var endpoints = func() map[Endpoint]endpointInfo {
	m := make(map[Endpoint]endpointInfo, len(table.All))
	for _, e := range table.All {
		m[Endpoint(e.Name)] = endpointInfo{path: e.Path, charging: e.Charging}
	}
	return m
}()

// Endpoints returns every endpoint with its default path. The map is a new
// copy on each call: changing it changes no Client (use WithPath for that).
func Endpoints() map[Endpoint]string {
	m := make(map[Endpoint]string, len(endpoints))
	for e, info := range endpoints {
		m[e] = info.path
	}
	return m
}

// Charging reports whether a call to e creates or charges something. Such
// calls are retried only when the request never left the machine. It
// reports false for an Endpoint the SDK does not define.
func (e Endpoint) Charging() bool { return endpoints[e].charging }

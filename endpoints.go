package inexopay

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

var endpoints = map[Endpoint]endpointInfo{
	EndpointAccountStatus:        {"/api/check_status.php", false},
	EndpointAccountBalance:       {"/api/balance.php", false},
	EndpointOnboardAgent:         {"/api/nsdl-bank/v1/onboarding.php", true},
	EndpointOpenAccount:          {"/api/nsdl-bank/v1/account_open.php", true},
	EndpointBankAccountStatus:    {"/api/nsdl-bank/v1/account_status.php", false},
	EndpointBankAccountDetails:   {"/api/nsdl-bank/v1/account_details.php", false},
	EndpointIncompleteAccountURL: {"/api/nsdl-bank/v1/incomplete_url.php", false},
	EndpointGenerateQR:           {"/api/wallet/v1/load_request.php", true},
	EndpointPaymentStatus:        {"/api/wallet/v1/check_status.php", false},
	EndpointPANRequest:           {"/api/nsdl-pan/v1/request_pan.php", true},
	EndpointPANStatus:            {"/api/nsdl-pan/v1/pan_status.php", false},
	EndpointPANResume:            {"/api/nsdl-pan/v1/incomplete_pan.php", true},
	EndpointSendOTP:              {"/api/aadhaar/v1/send_otp.php", true},
	EndpointVerifyOTP:            {"/api/aadhaar/v1/verify_otp.php", true},
}

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

package inexopay

import iendpoints "github.com/inexopay/inexopay-go/internal/endpoints"

// Endpoint names one API call, as "Service.Method". Errors carry it, and
// [WithPath] takes it to change the path the SDK posts to.
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

// endpoints is the endpoint table (internal/endpoints, which the sandbox
// shares): the default path of each Endpoint and whether a call to it
// creates or charges something (and so is never sent twice once it may
// have reached the API).
var endpoints = iendpoints.All[Endpoint]()

// Package endpoints is the table of INEXOPAY API endpoints that the SDK and
// its sandbox (inexopaytest) share: each call's name, default path, and
// whether it creates or charges something.
package endpoints

// Info is what is known of one endpoint.
type Info struct {
	// Path is the default path, joined to the base URL.
	Path string
	// Charging says a call creates or charges something, and so is never
	// sent twice once it may have reached the API.
	Charging bool
}

// table maps each call's name ("Service.Method") to its endpoint.
var table = map[string]Info{
	"Account.Status":                {"/api/check_status.php", false},
	"Account.Balance":               {"/api/balance.php", false},
	"NSDLBank.OnboardAgent":         {"/api/nsdl-bank/v1/onboarding.php", true},
	"NSDLBank.OpenAccount":          {"/api/nsdl-bank/v1/account_open.php", true},
	"NSDLBank.AccountStatus":        {"/api/nsdl-bank/v1/account_status.php", false},
	"NSDLBank.AccountDetails":       {"/api/nsdl-bank/v1/account_details.php", false},
	"NSDLBank.IncompleteAccountURL": {"/api/nsdl-bank/v1/incomplete_url.php", false},
	"Wallet.GenerateQR":             {"/api/wallet/v1/load_request.php", true},
	"Wallet.PaymentStatus":          {"/api/wallet/v1/check_status.php", false},
	"PAN.Request":                   {"/api/nsdl-pan/v1/request_pan.php", true},
	"PAN.Status":                    {"/api/nsdl-pan/v1/pan_status.php", false},
	"PAN.Resume":                    {"/api/nsdl-pan/v1/incomplete_pan.php", true},
	"Aadhaar.SendOTP":               {"/api/aadhaar/v1/send_otp.php", true},
	"Aadhaar.VerifyOTP":             {"/api/aadhaar/v1/verify_otp.php", true},
}

// All returns a copy of the table keyed by E, the caller's name type (such
// as inexopay.Endpoint).
func All[E ~string]() map[E]Info {
	m := make(map[E]Info, len(table))
	for name, info := range table {
		m[E(name)] = info
	}
	return m
}

// Paths returns every endpoint's default path keyed by E.
func Paths[E ~string]() map[E]string {
	m := make(map[E]string, len(table))
	for name, info := range table {
		m[E(name)] = info.Path
	}
	return m
}

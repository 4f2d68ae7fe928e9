package endpoints

// Name names one API call as "Service.Method", such as "PAN.Request". The
// root package's Endpoint type is this type; errors carry it.
type Name string

// The names of the API's calls; each is the Name field of one entry of All.
const (
	AccountStatus        Name = "Account.Status"
	AccountBalance       Name = "Account.Balance"
	OnboardAgent         Name = "NSDLBank.OnboardAgent"
	OpenAccount          Name = "NSDLBank.OpenAccount"
	BankAccountStatus    Name = "NSDLBank.AccountStatus"
	BankAccountDetails   Name = "NSDLBank.AccountDetails"
	IncompleteAccountURL Name = "NSDLBank.IncompleteAccountURL"
	GenerateQR           Name = "Wallet.GenerateQR"
	PaymentStatus        Name = "Wallet.PaymentStatus"
	PANRequest           Name = "PAN.Request"
	PANStatus            Name = "PAN.Status"
	PANResume            Name = "PAN.Resume"
	SendOTP              Name = "Aadhaar.SendOTP"
	VerifyOTP            Name = "Aadhaar.VerifyOTP"
)

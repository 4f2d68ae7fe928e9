// Package endpoints is the one table of the INEXOPAY API's endpoints: for
// each call, its path, whether it charges or creates something, the form
// fields it takes (required or not, with an example value) and the SDK's
// result type. The SDK's paths and retry policy, the sandbox's index page
// and docs/endpoints.md are all built from it, so they cannot drift apart;
// a test in the root package checks the fields against the params structs'
// url tags.
package endpoints

//go:generate go run ../cmd/gendocs -o ../../docs/endpoints.md

// Field is one form field of an endpoint.
type Field struct {
	// Name is the form field's name, such as "orderid".
	Name string
	// Required is true when the API refuses a call without the field.
	Required bool
	// Example is a value the sandbox accepts; "" when none is given (the
	// field is then left out of example requests).
	Example string
	// FromAnswer, when set, says which earlier answer the example stands
	// for, such as "data.order_id of Wallet.GenerateQR": a real request
	// must use that answer's value instead.
	FromAnswer string
	// Doc says what the field is.
	Doc string
}

// Endpoint is one API call.
type Endpoint struct {
	// Name is the SDK's Service.Method name, such as "PAN.Request"; it is
	// also the value of the root package's Endpoint type.
	Name string
	// Path is the default path, joined to the base URL.
	Path string
	// Documented is true when the provider's pages show the path; the
	// other paths are inferred and may need WithPath.
	Documented bool
	// Charging is true when a call creates or charges something: such a
	// call is never retried once it may have reached the API.
	Charging bool
	// Result is the name of the SDK's result type, such as
	// "PANApplication".
	Result string
	// Summary says what the call does, in one sentence.
	Summary string
	// Fields are the form fields besides the credentials, in the
	// document's order.
	Fields []Field
}

// Retried reports whether the SDK retries the call after it may have
// reached the API (read-only calls only).
func (e Endpoint) Retried() bool { return !e.Charging }

// Method is the HTTP method of every call.
const Method = "POST"

// ContentType is the body type every call takes.
const ContentType = "application/x-www-form-urlencoded"

// CredentialFields are the body fields of body authentication; header
// authentication sends them as the x-api-key and x-api-username headers.
var CredentialFields = []Field{
	{Name: "api_key", Required: true, Doc: "your API key (or the x-api-key header)"},
	{Name: "username", Required: true, Doc: "your username (or the x-api-username header)"},
}

// All lists every endpoint, in the document's order. Do not change it at
// run time.
var All = []Endpoint{
	{
		Name: "Account.Status", Path: "/api/check_status.php", Documented: true, Result: "AccountStatus",
		Summary: "Returns the API account's owner, balance, status, plan and IP binding.",
	},
	{
		Name: "Account.Balance", Path: "/api/balance.php", Result: "Balance",
		Summary: "Returns the API wallet balance.",
	},
	{
		Name: "NSDLBank.OnboardAgent", Path: "/api/nsdl-bank/v1/onboarding.php", Charging: true, Result: "Agent",
		Summary: "Registers an NSDL bank agent (BC agent).",
		Fields: []Field{
			{Name: "shop_name", Required: true, Example: "Ravi Stores", Doc: "agent's shop name"},
			{Name: "name", Required: true, Example: "Ravi Kumar", Doc: "agent's full name"},
			{Name: "email", Required: true, Example: "ravi@example.com", Doc: "agent's email address"},
			{Name: "mobile", Required: true, Example: "9876543210", Doc: "agent's mobile number"},
			{Name: "date_of_birth", Required: true, Example: "1990-01-15", Doc: "date of birth, YYYY-MM-DD"},
			{Name: "address", Required: true, Example: "12 MG Road", Doc: "full address"},
			{Name: "state_name", Required: true, Example: "Karnataka", Doc: "state name"},
			{Name: "city_name", Required: true, Example: "Bengaluru", Doc: "city name"},
			{Name: "pincode", Required: true, Example: "560001", Doc: "area pincode"},
			{Name: "pancard", Required: true, Example: "ABCDE1234F", Doc: "agent's PAN"},
			{Name: "bcagentid", Example: "INX00042", Doc: "your own agent id; generated (INX00001 …) when left out"},
		},
	},
	{
		Name: "NSDLBank.OpenAccount", Path: "/api/nsdl-bank/v1/account_open.php", Charging: true, Result: "AccountOpening",
		Summary: "Starts an NSDL bank account opening and returns the URL to send the customer to.",
		Fields: []Field{
			{Name: "orderid", Required: true, Example: "ACC1001", Doc: "your unique order id"},
			{Name: "account_type", Required: true, Example: "1", Doc: "1 = savings, 2 = current"},
			{Name: "bcagentid", Required: true, Example: "INX00042", FromAnswer: "data.agent_id of NSDLBank.OnboardAgent", Doc: "your BC agent id, from onboarding"},
			{Name: "agent_pancard", Required: true, Example: "ABCDE1234F", Doc: "the agent's registered PAN"},
			{Name: "first_name", Required: true, Example: "Asha", Doc: "customer's first name"},
			{Name: "middle_name", Doc: "customer's middle name"},
			{Name: "last_name", Required: true, Example: "Verma", Doc: "customer's last name"},
			{Name: "email", Required: true, Example: "asha@example.com", Doc: "customer's email address"},
			{Name: "phone", Required: true, Example: "9123456780", Doc: "customer's mobile number"},
			{Name: "pancard", Required: true, Example: "BNZPM2501F", Doc: "customer's PAN"},
			{Name: "pincode", Required: true, Example: "110001", Doc: "customer's area pincode"},
			{Name: "return_url", Required: true, Example: "https://example.com/inexopay/return", Doc: "where the customer is sent afterwards; also receives this opening's webhooks"},
		},
	},
	{
		Name: "NSDLBank.AccountStatus", Path: "/api/nsdl-bank/v1/account_status.php", Result: "BankAccount",
		Summary: "Returns the latest account opening for a customer PAN.",
		Fields: []Field{
			{Name: "pancard", Required: true, Example: "BNZPM2501F", Doc: "the customer's PAN"},
		},
	},
	{
		Name: "NSDLBank.AccountDetails", Path: "/api/nsdl-bank/v1/account_details.php", Result: "BankAccount",
		Summary: "Returns an account opening by txn id or by order id.",
		Fields: []Field{
			{Name: "txn_id", Doc: "the txn id of the account opening (this or orderid is required)"},
			{Name: "orderid", Example: "ACC1001", Doc: "your order id (this or txn_id is required)"},
		},
	},
	{
		Name: "NSDLBank.IncompleteAccountURL", Path: "/api/nsdl-bank/v1/incomplete_url.php", Result: "IncompleteAccount",
		Summary: "Returns the URL of a pending account opening again.",
		Fields: []Field{
			{Name: "orderid", Required: true, Example: "ACC1001", Doc: "your order id"},
		},
	},
	{
		Name: "Wallet.GenerateQR", Path: "/api/wallet/v1/load_request.php", Charging: true, Result: "WalletQR",
		Summary: "Creates a wallet load order and returns its UPI QR; INEXOPAY assigns the order id.",
		Fields: []Field{
			{Name: "amount", Required: true, Example: "100", Doc: "rupees to load (the API may set a minimum)"},
			{Name: "return_url", Doc: "receives this load's webhooks (callback_type=per_transaction) instead of the global webhook URL"},
		},
	},
	{
		Name: "Wallet.PaymentStatus", Path: "/api/wallet/v1/check_status.php", Result: "WalletPayment",
		Summary: "Returns the state of a wallet load.",
		Fields: []Field{
			{Name: "order_id", Required: true, Example: "WAL1234567890123", FromAnswer: "data.order_id of Wallet.GenerateQR", Doc: "the order id load_request answered"},
		},
	},
	{
		Name: "PAN.Request", Path: "/api/nsdl-pan/v1/request_pan.php", Documented: true, Charging: true, Result: "PANApplication",
		Summary: "Files an NSDL PAN application, charging its fee, and returns the URL to send the applicant to.",
		Fields: []Field{
			{Name: "number", Required: true, Example: "9876543210", Doc: "applicant's mobile number"},
			{Name: "orderid", Required: true, Example: "PAN1001", Doc: "your unique order id"},
			{Name: "pan_mode", Required: true, Example: "EKYC", Doc: "KYC mode: EKYC or ESIGN"},
			{Name: "pan_type", Required: true, Example: "new_pan", Doc: "new_pan or correction"},
			{Name: "return_url", Doc: "where the applicant is sent afterwards; also receives this application's webhooks"},
		},
	},
	{
		Name: "PAN.Status", Path: "/api/nsdl-pan/v1/pan_status.php", Result: "PANStatus",
		Summary: "Returns the state of a PAN application.",
		Fields: []Field{
			{Name: "orderid", Required: true, Example: "PAN1001", Doc: "the order id of the application"},
		},
	},
	{
		Name: "PAN.Resume", Path: "/api/nsdl-pan/v1/incomplete_pan.php", Charging: true, Result: "PANApplication",
		Summary: "Returns a fresh URL for an incomplete PAN application.",
		Fields: []Field{
			{Name: "orderid", Required: true, Example: "PAN1001", Doc: "the order id of the incomplete application"},
		},
	},
	{
		Name: "Aadhaar.SendOTP", Path: "/api/aadhaar/v1/send_otp.php", Charging: true, Result: "AadhaarOTP",
		Summary: "Sends an OTP to the mobile linked to an Aadhaar number.",
		Fields: []Field{
			{Name: "orderid", Required: true, Example: "AAD1001", Doc: "your unique order id"},
			{Name: "aadhaar_number", Required: true, Example: "234567890124", Doc: "12-digit Aadhaar number"},
		},
	},
	{
		Name: "Aadhaar.VerifyOTP", Path: "/api/aadhaar/v1/verify_otp.php", Charging: true, Result: "AadhaarVerification",
		Summary: "Verifies the OTP and returns the Aadhaar holder's details.",
		Fields: []Field{
			{Name: "orderid", Required: true, Example: "AAD1001", Doc: "your order id"},
			{Name: "request_id", Required: true, Example: "ADHRVFR19052420260531_1e2d274", FromAnswer: "data.request_id of Aadhaar.SendOTP", Doc: "the request id send_otp answered"},
			{Name: "otp", Required: true, Example: "123456", FromAnswer: "the OTP the holder received (in the sandbox: POST /sandbox/control/aadhaar/otp)", Doc: "6-digit OTP"},
			{Name: "aadhaar_number", Required: true, Example: "234567890124", Doc: "the number send_otp was called with"},
		},
	},
}

// Lookup returns the endpoint named name ("PAN.Request") and whether it
// exists.
func Lookup(name string) (Endpoint, bool) {
	for _, e := range All {
		if e.Name == name {
			return e, true
		}
	}
	return Endpoint{}, false
}

// Paths returns every endpoint's default path keyed by its name, as the
// caller's name type E (such as inexopay.Endpoint). The map is a new copy.
func Paths[E ~string]() map[E]string {
	m := make(map[E]string, len(All))
	for _, e := range All {
		m[E(e.Name)] = e.Path
	}
	return m
}

package inexopaytest

import (
	"fmt"
	"math/rand/v2"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/ist"
)

// The messages of business refusals that a test may need to tell apart:
// they all match inexopay.ErrBadRequest. (Refusals that have a sentinel of
// their own, such as inexopay.ErrUnauthorized or ErrInsufficientBalance,
// are matched with errors.Is and their messages are not exported.) The
// documented ones are copied from the API reference; the others are the
// sandbox's own wording.
const (
	// msgMissingCredentials answers a call without api_key or username
	// (HTTP 401).
	msgMissingCredentials = "API key and username are required" //nolint:gosec // a message, not a credential
	// msgInvalidCredentials answers a wrong API key or username (HTTP 401).
	msgInvalidCredentials = "Invalid API key or username" //nolint:gosec // a message, not a credential
	// msgInsufficientBalance answers a PAN.Request the balance cannot pay
	// (HTTP 402).
	msgInsufficientBalance = "Insufficient balance"
	// msgIPNotWhitelisted answers a call from an address other than the
	// bound IP (HTTP 403).
	msgIPNotWhitelisted = "IP not whitelisted"
	// msgAccountInactive answers any call while the account status is not
	// ACTIVE (HTTP 403).
	msgAccountInactive = "Account not approved or subscription expired"
	// msgMethodNotAllowed answers a request that is not a POST (HTTP 405).
	msgMethodNotAllowed = "Method Not Allowed. Use POST request."
	// MsgDuplicateOrderID answers OpenAccount, PAN.Request and SendOTP with
	// an order id already used; nothing is created or charged.
	MsgDuplicateOrderID = "Duplicate Order ID"
	// MsgDuplicateMobile answers an agent onboarding with a mobile already
	// registered (documented).
	MsgDuplicateMobile = "Agent not verified :: THE GIVEN MOBILENUMBER IS ALREADY REGISTER"
	// msgRecordNotFound answers the NSDL account status and details calls
	// for an unknown PAN, txn id or order id (documented, with respcode 99).
	msgRecordNotFound = "Record Not Found"
	// msgOrderNotFound answers the wallet and PAN calls for an unknown
	// order id.
	msgOrderNotFound = "Order not found"
	// MsgURLExpired answers PAN.Resume for an application that is no longer
	// pending (documented).
	MsgURLExpired = "URL Expired, please try again with a new request"
	// MsgOTPExpired answers VerifyOTP after the OTP's time to live.
	MsgOTPExpired = "OTP expired, please request a new OTP"
	// MsgOTPAttemptsExceeded answers VerifyOTP once the wrong tries are used
	// up; the request is dead.
	MsgOTPAttemptsExceeded = "Maximum OTP attempts exceeded, please request a new OTP"
	// MsgOTPAlreadyVerified answers VerifyOTP for a request already
	// verified.
	MsgOTPAlreadyVerified = "OTP already verified for this request"
	// MsgInvalidRequestID answers VerifyOTP with an unknown request_id.
	MsgInvalidRequestID = "Invalid request_id"
)

// The PAN application states, as PAN.Status writes them in data.status.
const (
	PANPending = "Pending"
	PANSuccess = "Success"
	PANFailed  = "Failed"
	PANRefund  = "Refund"
)

// The sandbox's UPI payee.
const (
	// SandboxVPA is the UPI address the wallet QR pays.
	SandboxVPA = "inexopay.sandbox@ptys"
	// SandboxPayeeName is the payee name in the wallet QR.
	SandboxPayeeName = "INEXOPAY"
)

// SandboxAadhaar is an Aadhaar number to use with the sandbox: 12 digits with
// a valid Verhoeff check digit, so that the SDK's own check passes, and
// made up ("2345 6789 0124"), so that it names nobody. Use it only against
// the sandbox.
const SandboxAadhaar = "234567890124"

// SandboxPAN is the made-up PAN the examples and docs use with the
// sandbox; it passes the SDK's format check and names nobody.
const SandboxPAN = "ABCDE1234F"

// SandboxMobile is the made-up mobile number the examples and docs use
// with the sandbox.
const SandboxMobile = "9876543210"

// AadhaarHolder returns the details every verified sandbox Aadhaar OTP
// reports, whatever the number.
func AadhaarHolder() inexopay.AadhaarDetails {
	return inexopay.AadhaarDetails{
		FullName: "Sandbox Holder",
		DOB:      "01-01-1990",
		Gender:   "Male",
		Address:  "12 Test Lane, Connaught Place, New Delhi, Delhi, 110001",
	}
}

type agent struct {
	id, mobile, pan, name string
}

// bankAccount is an NSDL account opening.
type bankAccount struct {
	id                                     int64
	orderID, txnID                         string
	accountType                            int
	first, middle, last, email, phone, pan string
	pincode, returnURL, message            string
	customerID                             int64
	state                                  string // pending, success, failed
	created, updated                       time.Time
}

type walletLoad struct {
	orderID          string
	returnURL        string // per-transaction webhook target, if given
	amount           inexopay.Amount
	state            string // pending, success, failed
	utr              string
	newBalance       inexopay.Amount
	created, updated time.Time
}

type panApp struct {
	orderID, txid, opid, number, mode, ptype string
	fee                                      inexopay.Amount
	state                                    string // PANPending, …
	returnURL                                string
	created, updated                         time.Time
	// formToken is the req field of the latest HTML form handed out (with
	// PANAnswerForm), valid only with formTxID.
	formToken, formTxID string
}

type otpRequest struct {
	requestID, orderID, aadhaar, otp string
	expires                          time.Time
	left                             int
	state                            string // pending, verified, dead
}

// state is everything the sandbox remembers; it is guarded by Server.mu.
type state struct {
	balance    inexopay.Amount
	status     string
	boundIP    string
	webhookURL string

	requests map[inexopay.Endpoint]int
	faults   map[inexopay.Endpoint][]faultSlot

	agents       map[string]*agent // by bcagentid
	agentMobiles map[string]string // mobile → bcagentid
	agentSeq     int

	accounts      map[string]*bankAccount // by order id
	accountsByTxn map[string]*bankAccount
	accountList   []*bankAccount
	accountSeq    int64
	customerSeq   int64

	wallets map[string]*walletLoad

	pans   map[string]*panApp // by order id
	panTx  map[string]*panApp // by every txid issued
	panSeq int64
	// panVisits are the arrivals at the NSDL PAN page.
	panVisits []PANPageVisit

	otps      map[string]*otpRequest // by request id
	otpOrders map[string]*otpRequest

	deliveries []*Delivery
	changed    chan struct{}
}

func (st *state) init(cfg config) {
	st.balance = cfg.balance
	st.status = AccountActive
	st.webhookURL = cfg.webhookURL
	st.requests = map[inexopay.Endpoint]int{}
	st.faults = map[inexopay.Endpoint][]faultSlot{}
	st.agents = map[string]*agent{}
	st.agentMobiles = map[string]string{}
	st.accounts = map[string]*bankAccount{}
	st.accountsByTxn = map[string]*bankAccount{}
	st.customerSeq = 838821
	st.wallets = map[string]*walletLoad{}
	st.pans = map[string]*panApp{}
	st.panTx = map[string]*panApp{}
	st.panSeq = 50089348
	st.otps = map[string]*otpRequest{}
	st.otpOrders = map[string]*otpRequest{}
	st.changed = make(chan struct{})
}

const (
	upperLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	upperAlnum   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	digitChars   = "0123456789"
	hexChars     = "0123456789abcdef"
)

// randomFrom returns n characters drawn from set.
func randomFrom(set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[rand.N(len(set))] //nolint:gosec // sandbox ids need no cryptographic randomness
	}
	return string(b)
}

func (st *state) newTxnID() string {
	for {
		id := "NSDL" + randomFrom(upperLetters, 9)
		if st.accountsByTxn[id] == nil {
			return id
		}
	}
}

func (st *state) newWalletOrderID() string {
	for {
		id := "WAL" + randomFrom(digitChars, 13)
		if st.wallets[idKey(id)] == nil {
			return id
		}
	}
}

func (st *state) newPANTxID() string {
	st.panSeq++
	return fmt.Sprint(st.panSeq)
}

func (st *state) newRequestID(now time.Time) string {
	for {
		id := "ADHRVFR" + now.In(ist.Zone).Format("020106150405") + "_" + randomFrom(hexChars, 7)
		if st.otps[id] == nil {
			return id
		}
	}
}

func newUUID() string {
	h := randomHex(16)
	b := []byte(h)
	b[12] = '4'                      // version 4
	b[16] = hexChars[8+int(b[16]%4)] // variant 10xx
	return string(b[0:8]) + "-" + string(b[8:12]) + "-" + string(b[12:16]) + "-" + string(b[16:20]) + "-" + string(b[20:32])
}

// idKey is the map key of an order id: the API's database compares order
// ids without regard to case (MySQL's default collation), so the sandbox
// does too, for ASCII letters only, as the SDK checks answers (order ids
// are ASCII); answers keep the id as first sent.
func idKey(id string) string {
	b := []byte(id)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

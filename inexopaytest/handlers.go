package inexopaytest

import (
	"crypto/subtle"
	"fmt"
	"net/url"
	"strings"
	"time"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/ist"
)

// Timestamp layouts of the answers.
const (
	// layoutNSDL is the NSDL bank records' UTC timestamp.
	layoutNSDL = "2006-01-02T15:04:05.000000Z"
	// layoutMeta is the Aadhaar meta time.
	layoutMeta = "2006-01-02T15:04:05+00:00"
)

func fmtNSDL(t time.Time) string { return t.UTC().Format(layoutNSDL) }

// missing returns the first of names the form lacks (empty after trimming).
func missing(form url.Values, names ...string) string {
	for _, n := range names {
		if strings.TrimSpace(form.Get(n)) == "" {
			return n
		}
	}
	return ""
}

// fieldCheck judges one form field by the sandbox's own rules (rules.go);
// ok reports whether the trimmed value is acceptable.
type fieldCheck struct {
	field string
	ok    func(string) bool
}

// firstInvalid returns the first field, in order, that is set and fails its
// check, or "".
func firstInvalid(f url.Values, checks []fieldCheck) string {
	for _, c := range checks {
		if v := strings.TrimSpace(f.Get(c.field)); v != "" && !c.ok(v) {
			return c.field
		}
	}
	return ""
}

func missingMsg(name string) string { return "Missing required parameter: " + name }

// --- Account ---

func (s *Server) hAccountStatus(c *call) reply {
	ipStatus := "MATCHED"
	if s.st.boundIP == "" {
		ipStatus = "NOT_BOUND"
	}
	return ok(obj{
		{"status_code", 200}, {"status", "SUCCESS"}, {"message", "API Status Retrieved"},
		{"data", obj{
			{"owner_name", s.cfg.ownerName},
			{"api_balance", num(s.st.balance)},
			{"api_status", s.st.status},
			{"plan_name", s.cfg.planName},
			{"bind_ip", s.st.boundIP},
			{"your_ip", c.ip},
			{"ip_status", ipStatus},
		}},
	})
}

func (s *Server) hBalance(*call) reply {
	return ok(obj{
		{"status", "SUCCESS"}, {"error_code", 200}, {"message", "Balance fetched successfully"},
		{"balance", num(s.st.balance)}, {"username", s.Username},
	})
}

// --- NSDL bank ---

func (s *Server) hOnboard(c *call) reply {
	f := c.form
	if m := missing(f, "shop_name", "name", "email", "mobile", "date_of_birth", "address",
		"state_name", "city_name", "pincode", "pancard"); m != "" {
		return bad(styleBool, missingMsg(m))
	}
	if field := firstInvalid(f, []fieldCheck{
		{"email", okEmail},
		{"mobile", okMobile},
		{"date_of_birth", okDate},
		{"pincode", okPincode},
		{"pancard", okPAN},
		{"bcagentid", okID},
	}); field != "" {
		return bad(styleBool, "Agent not verified :: INVALID "+strings.ToUpper(field))
	}
	mobile := arg(c, "mobile")
	if _, dup := s.st.agentMobiles[mobile]; dup {
		return bad(styleBool, MsgDuplicateMobile)
	}
	id := arg(c, "bcagentid")
	if id != "" {
		if s.st.agents[id] != nil {
			return bad(styleBool, "Agent not verified :: THE GIVEN BCAGENTID IS ALREADY REGISTER")
		}
	} else {
		for {
			s.st.agentSeq++
			id = fmt.Sprintf("INX%05d", s.st.agentSeq)
			if s.st.agents[id] == nil {
				break
			}
		}
	}
	s.st.agents[id] = &agent{id: id, mobile: mobile, pan: strings.ToUpper(arg(c, "pancard")), name: arg(c, "name")}
	s.st.agentMobiles[mobile] = id
	return ok(obj{
		{"status", true},
		{"message", "Agent verified successfully..!! Now you can create your agent account."},
		{"data", obj{{"txn_id", id}, {"agent_id", id}}},
	})
}

func (s *Server) hOpenAccount(c *call) reply {
	f := c.form
	if m := missing(f, "orderid", "account_type", "bcagentid", "agent_pancard", "first_name", "last_name",
		"email", "phone", "pancard", "pincode", "return_url"); m != "" {
		return bad(styleBool, missingMsg(m))
	}
	orderID := arg(c, "orderid")
	if !okID(orderID) {
		return bad(styleBool, "Invalid orderid")
	}
	var at int
	switch arg(c, "account_type") {
	case "1":
		at = 1
	case "2":
		at = 2
	default:
		return bad(styleBool, "Invalid account_type, use 1 (Saving) or 2 (Current)")
	}
	if field := firstInvalid(f, []fieldCheck{
		{"agent_pancard", okPAN},
		{"email", okEmail},
		{"phone", okMobile},
		{"pancard", okPAN},
		{"pincode", okPincode},
		{"return_url", okURL},
	}); field != "" {
		return bad(styleBool, "Invalid "+field)
	}
	if s.st.accounts[orderID] != nil {
		return bad(styleBool, MsgDuplicateOrderID)
	}
	ag := s.st.agents[arg(c, "bcagentid")]
	if ag == nil {
		return bad(styleBool, "Invalid BC Agent ID")
	}
	if ag.pan != strings.ToUpper(arg(c, "agent_pancard")) {
		return bad(styleBool, "Agent PAN does not match the BC Agent ID")
	}
	s.st.accountSeq++
	s.st.customerSeq++
	a := &bankAccount{
		id: s.st.accountSeq, orderID: orderID, txnID: s.st.newTxnID(), accountType: at,
		first: arg(c, "first_name"), middle: arg(c, "middle_name"), last: arg(c, "last_name"),
		email: arg(c, "email"), phone: arg(c, "phone"), pan: strings.ToUpper(arg(c, "pancard")),
		pincode: arg(c, "pincode"), returnURL: arg(c, "return_url"), customerID: s.st.customerSeq, state: "pending",
		created: c.now, updated: c.now,
	}
	s.st.accounts[orderID] = a
	s.st.accountsByTxn[a.txnID] = a
	s.st.accountList = append(s.st.accountList, a)
	return ok(obj{
		{"status", true}, {"message", "Success..!!"},
		{"data", s.accountURL(a)},
		{"user", obj{{"txn_id", a.txnID}, {"customer_id", a.customerID}}},
	})
}

func (s *Server) accountURL(a *bankAccount) string {
	return s.URL + "/sandbox/nsdl/account_open?signcs=" + url.QueryEscape(a.txnID)
}

func notFound() reply {
	return ok(obj{{"status", false}, {"message", msgRecordNotFound},
		{"data", obj{{"response", msgRecordNotFound}, {"respcode", "99"}}}})
}

func accountRecord(a *bankAccount) obj {
	completed, status := 0, 0
	switch a.state {
	case "success":
		completed, status = 1, 1
	case "failed":
		status = 2
	}
	return obj{
		{"id", a.id}, {"account_type", a.accountType}, {"txn_id", a.txnID},
		{"first_name", a.first}, {"middle_name", nullable(a.middle)}, {"last_name", a.last},
		{"email", a.email}, {"phone", a.phone}, {"pancard", a.pan}, {"pincode", a.pincode},
		{"is_completed", completed}, {"message", nullable(a.message)}, {"status", status},
		{"date", fmtNSDL(a.created)}, {"is_refunded", 0},
		{"created_at", fmtNSDL(a.created)}, {"updated_at", fmtNSDL(a.updated)},
	}
}

func (s *Server) hBankStatus(c *call) reply {
	pan := strings.ToUpper(arg(c, "pancard"))
	if pan == "" {
		return bad(styleBool, missingMsg("pancard"))
	}
	// The latest opening for the PAN.
	for i := len(s.st.accountList) - 1; i >= 0; i-- {
		if a := s.st.accountList[i]; a.pan == pan {
			return ok(obj{{"status", true}, {"message", "Success"}, {"data", accountRecord(a)}})
		}
	}
	return notFound()
}

func (s *Server) hBankDetails(c *call) reply {
	txn, orderID := arg(c, "txn_id"), arg(c, "orderid")
	if txn == "" && orderID == "" {
		return bad(styleBool, "txn_id or orderid is required")
	}
	var a *bankAccount
	if orderID != "" {
		a = s.st.accounts[orderID]
	} else {
		a = s.st.accountsByTxn[txn]
	}
	if a == nil {
		return notFound()
	}
	return ok(obj{{"status", true}, {"message", "Success"}, {"data", accountRecord(a)}})
}

func (s *Server) hIncompleteURL(c *call) reply {
	orderID := arg(c, "orderid")
	if orderID == "" {
		return bad(styleBool, missingMsg("orderid"))
	}
	a := s.st.accounts[orderID]
	if a == nil {
		return bad(styleBool, "Transaction not found. URL can only be retrieved for pending transactions.")
	}
	if a.state != "pending" {
		return bad(styleBool, "Transaction status is "+a.state+". URL can only be retrieved for pending transactions.")
	}
	return ok(obj{
		{"status", true}, {"message", "Redirect URL retrieved successfully."},
		{"order_id", a.orderID}, {"txn_id", a.txnID}, {"account_url", s.accountURL(a)},
		{"status_in_db", "pending"},
	})
}

// --- Wallet ---

// upiEscape query-escapes a UPI parameter value, keeping '@' readable as
// the API does (it is allowed in a query).
func upiEscape(v string) string {
	return strings.ReplaceAll(url.QueryEscape(v), "%40", "@")
}

// upiString is the upi://pay link of a wallet load.
func upiString(w *walletLoad) string {
	return "upi://pay?pa=" + upiEscape(SandboxVPA) + "&pn=" + upiEscape(SandboxPayeeName) + "&cu=INR&tn=" +
		upiEscape(w.orderID) + "&am=" + upiEscape(w.amount.FormValue()) + "&tr=" + upiEscape(w.orderID)
}

func (s *Server) hGenerateQR(c *call) reply {
	raw := arg(c, "amount")
	if raw == "" {
		return bad(styleCode, missingMsg("amount"))
	}
	ret := arg(c, "return_url")
	if ret != "" && !okURL(ret) {
		return bad(styleCode, "Invalid return_url")
	}
	amount, err := inexopay.ParseAmount(raw)
	if err != nil || amount <= 0 {
		return bad(styleCode, "Invalid amount")
	}
	if amount < s.cfg.minWalletLoad {
		return bad(styleCode, "Minimum wallet load amount is "+s.cfg.minWalletLoad.String())
	}
	w := &walletLoad{orderID: s.st.newWalletOrderID(), amount: amount, state: "pending", returnURL: ret,
		created: c.now, updated: c.now}
	s.st.wallets[w.orderID] = w
	return ok(obj{
		{"status_code", 200}, {"status", "SUCCESS"},
		{"message", "QR generated successfully! Please scan and pay, then use check_status API to verify payment."},
		{"data", obj{
			{"order_id", w.orderID},
			{"amount", shortNum(w.amount)},
			{"qr_url", s.URL + "/sandbox/qr?order_id=" + url.QueryEscape(w.orderID)},
			{"upi_id", SandboxVPA},
			{"account_holder_name", SandboxPayeeName},
			{"tx_string", upiString(w)},
			{"status", "pending"},
		}},
	})
}

func (s *Server) hPaymentStatus(c *call) reply {
	orderID := arg(c, "order_id")
	if orderID == "" {
		return bad(styleCode, missingMsg("order_id"))
	}
	w := s.st.wallets[orderID]
	if w == nil {
		return bad(styleCode, msgOrderNotFound)
	}
	remark := "Online Wallet Load via API - Pending"
	newBalance := s.st.balance
	switch w.state {
	case "success":
		remark = "Online Wallet Load via API - Success - UTR: " + w.utr
		newBalance = w.newBalance
	case "failed":
		remark = "Online Wallet Load via API - Failed"
	}
	return ok(obj{
		{"status_code", 200}, {"status", "SUCCESS"},
		{"data", obj{
			{"order_id", w.orderID},
			{"amount", shortNum(w.amount)},
			{"status", w.state},
			{"date_time", ist.Format(w.updated)},
			{"bank", "UPI QR - " + SandboxPayeeName + " (" + SandboxVPA + ")"},
			{"mode", "API_UPI_QR"},
			{"remark", remark},
			{"new_balance", shortNum(newBalance)},
		}},
	})
}

// --- PAN ---

func (s *Server) panURL(page, txid, mode string) string {
	u := s.URL + "/sandbox/nsdl/" + page + "?process_id=2504&txid=" + url.QueryEscape(txid)
	if mode != "" {
		u += "&mode=" + mode
	}
	return u
}

func (s *Server) hPANRequest(c *call) reply {
	f := c.form
	if m := missing(f, "number", "orderid", "pan_mode", "pan_type"); m != "" {
		return bad(styleCode, missingMsg(m))
	}
	if !okMobile(arg(c, "number")) {
		return bad(styleCode, "Invalid mobile number")
	}
	orderID := arg(c, "orderid")
	if !okID(orderID) {
		return bad(styleCode, "Invalid orderid")
	}
	mode := strings.ToUpper(arg(c, "pan_mode"))
	if mode != string(inexopay.PANModeEKYC) && mode != string(inexopay.PANModeESign) {
		return bad(styleCode, "Invalid pan_mode, use EKYC or ESIGN")
	}
	ptype := strings.ToLower(arg(c, "pan_type"))
	if ptype != string(inexopay.PANTypeNew) && ptype != string(inexopay.PANTypeCorrection) {
		return bad(styleCode, "Invalid pan_type, use new_pan or correction")
	}
	ret := arg(c, "return_url")
	if ret != "" && !okURL(ret) {
		return bad(styleCode, "Invalid return_url")
	}
	if s.st.pans[orderID] != nil {
		return bad(styleCode, MsgDuplicateOrderID)
	}
	if s.st.balance < s.cfg.panFee {
		return deny(styleCode, 402, msgInsufficientBalance)
	}
	s.st.balance -= s.cfg.panFee
	p := &panApp{
		orderID: orderID, txid: s.st.newPANTxID(), opid: "OPB" + randomFrom(upperAlnum, 9),
		number: arg(c, "number"), mode: mode, ptype: ptype, fee: s.cfg.panFee, state: PANPending,
		returnURL: ret, created: c.now, updated: c.now,
	}
	s.st.pans[orderID] = p
	s.st.panTx[p.txid] = p
	kyc := "K"
	if mode == string(inexopay.PANModeESign) {
		kyc = "E"
	}
	if s.cfg.panAnswer == PANAnswerForm {
		return s.panFormReply(p, "pan", kyc)
	}
	return ok(obj{
		{"status_code", 200}, {"status", "SUCCESS"}, {"message", "PAN Application Initiated Successfully"},
		{"data", obj{{"txid", p.txid}, {"url", s.panURL("pan", p.txid, kyc)}, {"number", p.number}, {"orderid", p.orderID}}},
	})
}

func (s *Server) hPANStatus(c *call) reply {
	orderID := arg(c, "orderid")
	if orderID == "" {
		return bad(styleCode, missingMsg("orderid"))
	}
	p := s.st.pans[orderID]
	if p == nil {
		return bad(styleCode, msgOrderNotFound)
	}
	return ok(obj{
		{"status_code", 200}, {"status", "SUCCESS"}, {"message", "Status fetched from portal"},
		{"order_id", p.orderID}, {"reference", p.opid}, {"number", p.number},
		{"amount", num(p.fee)}, {"date_time", ist.Format(p.updated)},
		{"data", obj{
			{"status", p.state}, {"orderid", p.orderID}, {"txid", p.txid}, {"amount", shortNum(p.fee)},
			{"opid", p.opid}, {"number", p.number},
			{"created_at", ist.Format(p.created)}, {"updated_at", ist.Format(p.updated)},
		}},
	})
}

func (s *Server) hPANResume(c *call) reply {
	orderID := arg(c, "orderid")
	if orderID == "" {
		return bad(styleCode, missingMsg("orderid"))
	}
	p := s.st.pans[orderID]
	if p == nil {
		return bad(styleCode, msgOrderNotFound)
	}
	if p.state != PANPending {
		return bad(styleCode, MsgURLExpired)
	}
	p.txid = s.st.newPANTxID()
	s.st.panTx[p.txid] = p
	if s.cfg.panAnswer == PANAnswerForm {
		return s.panFormReply(p, "pan_inc", "")
	}
	return ok(obj{
		{"status_code", 200}, {"status", "SUCCESS"}, {"message", "Incomplete PAN Application Resumed"},
		{"data", obj{{"txid", p.txid}, {"url", s.panURL("pan_inc", p.txid, "")}, {"orderid", p.orderID}}},
	})
}

// --- Aadhaar ---

func (s *Server) hSendOTP(c *call) reply {
	f := c.form
	if m := missing(f, "orderid", "aadhaar_number"); m != "" {
		return bad(styleCode, missingMsg(m))
	}
	orderID, number := arg(c, "orderid"), arg(c, "aadhaar_number")
	if !okID(orderID) {
		return bad(styleCode, "Invalid orderid")
	}
	if !okAadhaar(number) {
		return bad(styleCode, "Invalid Aadhaar number")
	}
	if s.st.otpOrders[orderID] != nil {
		return bad(styleCode, MsgDuplicateOrderID)
	}
	o := &otpRequest{
		requestID: s.st.newRequestID(c.now), orderID: orderID, aadhaar: number,
		otp: randomFrom(digitChars, 6), expires: c.now.Add(s.cfg.otpTTL),
		left: s.cfg.maxOTPAttempts, state: "pending",
	}
	s.st.otps[o.requestID] = o
	s.st.otpOrders[orderID] = o
	return ok(obj{
		{"status_code", 200}, {"status", "success"},
		{"message", "Successfully generated One Time Password (OTP)."},
		{"data", obj{{"request_id", o.requestID}, {"aadhaar", number}, {"status", "pending"}}},
		{"meta", meta(c.now)},
	})
}

func meta(now time.Time) obj {
	return obj{{"request_id", newUUID()}, {"time", now.UTC().Format(layoutMeta)}}
}

func (s *Server) hVerifyOTP(c *call) reply {
	f := c.form
	if m := missing(f, "orderid", "request_id", "otp", "aadhaar_number"); m != "" {
		return bad(styleCode, missingMsg(m))
	}
	otp, number := arg(c, "otp"), arg(c, "aadhaar_number")
	if !okOTP(otp) {
		return bad(styleCode, "Invalid OTP format, 6 digits required")
	}
	if !okAadhaar(number) {
		return bad(styleCode, "Invalid Aadhaar number")
	}
	o := s.st.otps[arg(c, "request_id")]
	if o == nil {
		return bad(styleCode, MsgInvalidRequestID)
	}
	if subtle.ConstantTimeCompare([]byte(number), []byte(o.aadhaar)) != 1 {
		return bad(styleCode, "Aadhaar number does not match this request")
	}
	switch o.state {
	case "verified":
		return bad(styleCode, MsgOTPAlreadyVerified)
	case "dead":
		return bad(styleCode, MsgOTPAttemptsExceeded)
	}
	if !c.now.Before(o.expires) {
		return bad(styleCode, MsgOTPExpired)
	}
	if subtle.ConstantTimeCompare([]byte(otp), []byte(o.otp)) != 1 {
		o.left--
		if o.left <= 0 {
			o.state = "dead"
			return bad(styleCode, MsgOTPAttemptsExceeded)
		}
		return bad(styleCode, fmt.Sprintf("Invalid OTP. %d attempt(s) remaining", o.left))
	}
	o.state = "verified"
	h := AadhaarHolder()
	return ok(obj{
		{"status_code", 200}, {"status", "success"}, {"message", "Aadhaar verification successful"},
		{"data", obj{
			{"request_id", o.requestID}, {"status", "verified"},
			{"aadhaar_details", obj{{"full_name", h.FullName}, {"dob", h.DOB}, {"gender", h.Gender}, {"address", h.Address}}},
		}},
		{"meta", meta(c.now)},
	})
}

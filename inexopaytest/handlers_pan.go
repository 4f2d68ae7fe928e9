// Handlers of the PAN endpoints: applications, their status and resume URLs.

package inexopaytest

import (
	"net/url"
	"strings"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/ist"
)

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
	if s.st.pans[idKey(orderID)] != nil {
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
	s.st.pans[idKey(orderID)] = p
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
	p := s.st.pans[idKey(orderID)]
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
	p := s.st.pans[idKey(orderID)]
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

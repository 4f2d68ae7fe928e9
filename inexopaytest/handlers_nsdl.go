// Handlers of the NSDL bank endpoints: agent onboarding, account openings,
// their status and details, and the incomplete-application URL.

package inexopaytest

import (
	"fmt"
	"net/url"
	"strings"
)

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
	if s.st.accounts[idKey(orderID)] != nil {
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
	s.st.accounts[idKey(orderID)] = a
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
		a = s.st.accounts[idKey(orderID)]
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
	a := s.st.accounts[idKey(orderID)]
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

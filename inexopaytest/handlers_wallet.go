// Handlers of the wallet endpoints: UPI QR loads and their payment status.

package inexopaytest

import (
	"net/url"
	"strings"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/ist"
)

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
	s.st.wallets[idKey(w.orderID)] = w
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
	w := s.st.wallets[idKey(orderID)]
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

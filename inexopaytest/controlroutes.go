// The sandbox controls over HTTP, under /sandbox/control/: one table
// (controlTable) that both the routes and the index page are built from,
// and the handlers of the controls that are more than a call of a Server
// method.

package inexopaytest

import (
	"errors"
	"html"
	"net/http"
	"net/url"
	"strings"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/internal/netutil"
)

// ctlField is one form field of a control.
type ctlField struct {
	name, example, doc string
	// from, when set, says which answer the example stands for.
	from     string
	optional bool
}

// control is one endpoint under /sandbox/control/. The routes and the index
// page are both built from controlTable, so they cannot drift apart.
type control struct {
	method string // "POST", or "GET" for a control that only reads (it takes POST too)
	path   string
	fields []ctlField
	doc    string
	h      http.HandlerFunc
}

// controlTable lists the sandbox controls with their handlers.
func (s *Server) controlTable() []control {
	order := func(example string) []ctlField {
		f := ctlField{name: "order_id", example: example, doc: "the order id"}
		if strings.HasPrefix(example, "WAL") {
			f.from = "data.order_id of Wallet.GenerateQR"
		}
		return []ctlField{f}
	}
	return []control{
		{"POST", "/sandbox/control/wallet/complete", order("WAL1234567890123"),
			"mark a pending wallet load paid: credits the balance and posts a success webhook",
			s.orderControl("wallet load", s.CompleteWalletPayment)},
		{"POST", "/sandbox/control/wallet/fail", order("WAL1234567890123"),
			"mark a pending wallet load failed and post a failed webhook",
			s.orderControl("wallet load", s.FailWalletPayment)},
		{"POST", "/sandbox/control/account/complete", order("ACC1001"),
			"complete a pending NSDL account opening and post a success webhook",
			s.orderControl("account opening", s.CompleteAccountOpening)},
		{"POST", "/sandbox/control/account/fail", order("ACC1001"),
			"fail a pending NSDL account opening and post a failed webhook",
			s.orderControl("account opening", s.FailAccountOpening)},
		{"POST", "/sandbox/control/pan/complete", order("PAN1001"),
			"complete a pending PAN application and post a success webhook",
			s.orderControl("PAN application", s.CompletePAN)},
		{"POST", "/sandbox/control/pan/fail", order("PAN1001"),
			"fail a pending PAN application, refund its fee and post a refund webhook",
			s.orderControl("PAN application", s.FailPAN)},
		{"POST", "/sandbox/control/aadhaar/otp",
			[]ctlField{{name: "request_id", example: "ADHRVFR19052420260531_1e2d274", doc: "the request id send_otp answered", from: "data.request_id of Aadhaar.SendOTP"}},
			`read the OTP "sent" for an Aadhaar request (answers "otp")`,
			s.control(func(r *http.Request) (obj, error) {
				if strings.TrimSpace(r.PostForm.Get("request_id")) == "" {
					return nil, errRequired("request_id", "the request id send_otp answered")
				}
				otp, found := s.OTP(r.PostForm.Get("request_id"))
				if !found {
					return nil, unknown("Aadhaar request", r.PostForm.Get("request_id"))
				}
				return obj{{"otp", otp}}, nil
			})},
		{"POST", "/sandbox/control/balance",
			[]ctlField{{name: "amount", example: "1000", doc: "the new balance in rupees"}},
			"set the API balance",
			s.control(func(r *http.Request) (obj, error) {
				raw := strings.TrimSpace(r.PostForm.Get("amount"))
				if raw == "" {
					return nil, errRequired("amount", "the new balance in rupees, such as 1000 or 250.50")
				}
				a, err := inexopay.ParseAmount(raw)
				if err != nil || a < 0 {
					return nil, amountProblem(raw)
				}
				s.SetBalance(a)
				return obj{{"balance", num(a)}}, nil
			})},
		{"POST", "/sandbox/control/account_status",
			[]ctlField{{name: "status", example: "ACTIVE", doc: "ACTIVE, or anything else to refuse every call with 403"}},
			"set the account status",
			s.control(func(r *http.Request) (obj, error) {
				st := strings.TrimSpace(r.PostForm.Get("status"))
				if st == "" {
					return nil, errRequired("status", "ACTIVE, or anything else to refuse every call with 403")
				}
				s.SetAccountStatus(st)
				return nil, nil
			})},
		{"POST", "/sandbox/control/bound_ip",
			[]ctlField{{name: "ip", example: "127.0.0.1", doc: `the IP the key is bound to; "" removes the binding`, optional: true}},
			"bind the API key to an IP: calls from other addresses get 403",
			s.control(func(r *http.Request) (obj, error) {
				s.SetBoundIP(strings.TrimSpace(r.PostForm.Get("ip")))
				return nil, nil
			})},
		{"POST", "/sandbox/control/webhook_url",
			[]ctlField{{name: "url", example: "http://127.0.0.1:8081/webhook", doc: `the global webhook URL; "" removes it`}},
			"set the global webhook URL, which receives the status changes of transactions without a return_url",
			s.control(s.webhookURLControl)},
		{"GET", "/sandbox/control/deliveries", nil,
			"list the webhook deliveries: order id, URL, callback type, status, attempts, last HTTP status, delivered",
			s.readControl(s.deliveriesControl)},
		{"POST", "/sandbox/control/fault",
			[]ctlField{
				{name: "endpoint", example: "PAN.Request", doc: "an endpoint name or its path"},
				{name: "kind", example: "drop", doc: faultKindNames(", ", " or ")},
				{name: "n", example: "1", doc: "how many of the next calls fail (default 1)", optional: true},
				{name: "delay", doc: "a Go duration such as 250ms, for kind delay only", optional: true},
			},
			"make the next n calls of an endpoint fail",
			s.control(s.faultControl)},
		{"GET", "/sandbox/control/requests",
			[]ctlField{{name: "endpoint", doc: "an endpoint name or path; all endpoints when left out", optional: true}},
			"count the requests that arrived at each endpoint",
			s.readControl(s.requestsControl)},
	}
}

// orderControl is a control that completes or fails an order. Posted from
// a sandbox page (html=1) it answers a readable HTML page; otherwise JSON.
// A request it refuses (method, body) is answered in JSON either way.
func (s *Server) orderControl(kind string, fn func(string) error) http.HandlerFunc {
	return s.guard(func(w http.ResponseWriter, r *http.Request) {
		if !controlForm(w, r, allowPost) {
			return
		}
		id := r.PostForm.Get("order_id")
		var err error
		if strings.TrimSpace(id) == "" {
			err = errRequired("order_id", "the order id of the "+kind)
		} else {
			err = fn(id)
		}
		if r.PostForm.Get("html") == "1" {
			s.pageDone(w, kind, id, err)
			return
		}
		writeControl(w, nil, err)
	})
}

// pageDone is the page a sandbox page's complete or fail button lands on.
func (s *Server) pageDone(w http.ResponseWriter, kind, orderID string, err error) {
	status := http.StatusOK
	title := "Done"
	var lines []string
	if err != nil {
		status, title = http.StatusBadRequest, "Not done"
		if errors.Is(err, ErrUnknownOrder) {
			status = http.StatusNotFound
		}
		lines = append(lines, strings.TrimPrefix(err.Error(), "inexopaytest: "))
	} else {
		state, returnURL, hook := s.afterControl(kind, orderID)
		lines = append(lines, "The "+kind+" "+orderID+" is now "+state+".", hook)
		if returnURL != "" {
			lines = append(lines, "NSDL would now send the customer to the return_url: "+returnURL)
		}
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + html.EscapeString(title) +
		"</title></head><body>\n<h1>" + html.EscapeString(title) + "</h1>\n")
	for _, l := range lines {
		b.WriteString("<p>" + html.EscapeString(l) + "</p>\n")
	}
	b.WriteString(`<p><a href="/sandbox/control/deliveries">Webhook deliveries</a> · <a href="/">All endpoints and controls</a></p>` + "\n</body></html>\n")
	writeHTML(w, status, b.String())
}

// afterControl reports the state of an order after a control changed it,
// its return_url (account openings) and what became of its webhook.
func (s *Server) afterControl(kind, orderID string) (state, returnURL, hook string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch kind {
	case "wallet load":
		if w := s.st.wallets[idKey(orderID)]; w != nil {
			state = w.state
		}
	case "account opening":
		if a := s.st.accounts[idKey(orderID)]; a != nil {
			state, returnURL = a.state, a.returnURL
		}
	case "PAN application":
		if p := s.st.pans[idKey(orderID)]; p != nil {
			state = strings.ToLower(p.state)
		}
	}
	hook = "No webhook was sent: the order has no return_url and no global webhook URL is set."
	for i := len(s.st.deliveries) - 1; i >= 0; i-- {
		d := s.st.deliveries[i]
		if d.OrderID != orderID {
			continue
		}
		switch {
		case errors.Is(d.Err, ErrRemoteWebhook):
			hook = "The webhook to " + maskURL(d.URL) + " was dropped: it is not a loopback host (start the sandbox with -allow-remote)."
		default:
			hook = "A " + string(d.CallbackType) + " webhook (status " + string(d.Status) + ") is being posted to " + maskURL(d.URL) + "."
		}
		break
	}
	return state, returnURL, hook
}

// webhookURLControl is POST /sandbox/control/webhook_url: SetWebhookURL
// over HTTP.
func (s *Server) webhookURLControl(r *http.Request) (obj, error) {
	if _, set := r.PostForm["url"]; !set {
		return nil, errors.New(`inexopaytest: url is required (an http or https URL, or "" to remove the webhook URL)`)
	}
	raw := strings.TrimSpace(r.PostForm.Get("url"))
	if raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, errors.New("inexopaytest: url must be an absolute http or https URL")
		}
	}
	s.SetWebhookURL(raw)
	ans := obj{{"webhook_url", raw}}
	if raw != "" && !s.cfg.remoteWebhooks && !netutil.IsLoopbackURL(raw) {
		ans = append(ans, field{"note", "not a loopback host: webhooks to it are dropped unless the sandbox runs with -allow-remote"})
	}
	return ans, nil
}

// deliveriesControl is GET /sandbox/control/deliveries: Deliveries over
// HTTP. Query values of the URLs (such as ?token=) are masked.
func (s *Server) deliveriesControl(*http.Request) (obj, error) {
	ds := s.Deliveries()
	list := make([]obj, len(ds))
	for i, d := range ds {
		o := obj{
			{"order_id", d.OrderID}, {"url", maskURL(d.URL)}, {"callback_type", d.CallbackType},
			{"status", string(d.Status)}, {"attempts", d.Attempts}, {"last_status", d.StatusCode},
			{"delivered", d.Delivered}, {"done", d.Done},
		}
		if d.Err != nil {
			o = append(o, field{"error", s.errTextPlain(d.Err)})
		}
		list[i] = o
	}
	return obj{{"deliveries", list}}, nil
}

// errRequired is the refusal of a control whose parameter name is missing
// or empty; want says what it takes.
func errRequired(name, want string) error {
	return errors.New("inexopaytest: " + name + " is required: " + want)
}

// amountProblem says why raw is not an amount of rupees, naming the
// parameter.
func amountProblem(raw string) error {
	if whole, frac, ok := strings.Cut(raw, "."); ok && len(frac) > 2 && digitsOnly(frac) && (whole == "" || digitsOnly(whole)) {
		return errors.New("inexopaytest: amount has fractions of a paisa: it takes rupees with at most 2 decimals, such as 1000 or 250.50, got " + quoteShort(raw))
	}
	return errors.New("inexopaytest: amount must be rupees of zero or more, such as 1000 or 250.50, got " + quoteShort(raw))
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

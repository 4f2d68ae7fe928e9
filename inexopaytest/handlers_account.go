// Handlers of the account endpoints: API status and balance.

package inexopaytest

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

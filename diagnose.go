package inexopay

import (
	"context"

	"github.com/inexopay/inexopay-go/internal/diagnose"
)

// Check is the outcome of one check of a [Diagnosis]. See docs/outcomes.md.
type Check = diagnose.Check

// Diagnosis is what [Client.Diagnose] found; OK reports no failed check.
type Diagnosis = diagnose.Diagnosis

// Diagnose checks the setup without charging; it fails only when ctx does.
func (c *Client) Diagnose(ctx context.Context) (*Diagnosis, error) {
	if ctx == nil {
		return nil, &ValidationError{Field: "ctx", Reason: "must not be nil"}
	}
	return diagnose.Run(ctx, diagnose.Target{BaseURL: c.baseURL, URLs: c.urls, UserAgent: c.userAgent,
		Transport: c.transport, Timeout: c.timeout,
		AccountStatus: func(ctx context.Context) (*diagnose.Account, error) {
			st, err := c.Account.Status(ctx)
			if err != nil {
				return nil, err
			}
			return &diagnose.Account{OwnerName: st.OwnerName, Balance: st.Balance.String(), Status: st.Status,
				PlanName: st.PlanName, BindIP: st.BindIP, YourIP: st.YourIP, IPStatus: st.IPStatus}, nil
		}})
}

package inexopay

import (
	"context"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// AccountStatus is your API account as [AccountService.Status] reports it.
type AccountStatus struct {
	OwnerName string
	Balance   Amount
	Status    string // the account state, such as "ACTIVE".
	PlanName  string
	BindIP    string // the IP the API key is bound to
	YourIP    string // the IP the API saw this call come from
	IPStatus  string // "MATCHED" when they match
	Message   string
}

// Balance is your API wallet balance as [AccountService.Balance] reports it.
type Balance struct {
	Amount   Amount
	Username string
	Message  string
}

// Status returns the account's owner, balance, plan and IP binding. It fails with
// [ErrUnauthorized], [ErrForbidden] or [ErrServer].
func (s *AccountService) Status(ctx context.Context, opts ...CallOption) (*AccountStatus, error) {
	var w wire.AccountStatus
	if err := s.c.do(ctx, EndpointAccountStatus, "", nil, &w, opts); err != nil {
		return nil, err
	}
	d := w.Data
	return &AccountStatus{
		OwnerName: string(d.OwnerName),
		Balance:   Amount(d.APIBalance.Val),
		Status:    string(d.APIStatus),
		PlanName:  string(d.PlanName),
		BindIP:    string(d.BindIP),
		YourIP:    string(d.YourIP),
		IPStatus:  string(d.IPStatus),
		Message:   string(w.Message),
	}, nil
}

// Balance returns the API wallet balance. It fails like Status.
func (s *AccountService) Balance(ctx context.Context, opts ...CallOption) (*Balance, error) {
	var w wire.Balance
	if err := s.c.do(ctx, EndpointAccountBalance, "", nil, &w, opts); err != nil {
		return nil, err
	}
	return &Balance{Amount: Amount(w.Balance.Val), Username: string(w.Username), Message: string(w.Message)}, nil
}

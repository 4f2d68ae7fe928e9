// The test controls of the account and its orders: balance, account
// status, bound IP and webhook URL; completing and failing wallet loads,
// account openings and PAN applications; reading OTPs and counts. The same
// controls are served over HTTP by controlroutes.go.

package inexopaytest

import (
	"errors"
	"fmt"
	"strconv"

	inexopay "github.com/inexopay/inexopay-go"
)

// AccountActive is the account status under which calls are allowed; see
// SetAccountStatus.
const AccountActive = "ACTIVE"

// Errors of the test controls, matched with errors.Is.
var (
	// ErrUnknownOrder means the control was given an order id (or request
	// id) the sandbox never issued.
	ErrUnknownOrder = errors.New("inexopaytest: unknown order")
	// ErrNotPending means the transaction is no longer pending, so it
	// cannot be completed or failed.
	ErrNotPending = errors.New("inexopaytest: transaction is not pending")
)

// SetBalance sets the API balance.
func (s *Server) SetBalance(a inexopay.Amount) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.balance = a
}

// Balance returns the API balance.
func (s *Server) Balance() inexopay.Amount {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.balance
}

// SetAccountStatus sets the account status. Under AccountActive ("ACTIVE",
// the default) calls are allowed; under any other status every call answers
// HTTP 403 "Account not approved or subscription expired".
func (s *Server) SetAccountStatus(status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.status = status
}

// SetBoundIP binds the API key to an IP address. When ip is not empty and
// differs from the caller's address every call answers HTTP 403 "IP not
// whitelisted"; "" (the default) removes the binding.
func (s *Server) SetBoundIP(ip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.boundIP = ip
}

// SetWebhookURL sets the global webhook URL; "" removes it. It applies to
// status changes from then on.
func (s *Server) SetWebhookURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.webhookURL = u
}

func unknown(kind, id string) error {
	return fmt.Errorf("%w: %s %s", ErrUnknownOrder, kind, strconv.Quote(id))
}

func notPending(kind, id, st string) error {
	return fmt.Errorf("%w: %s %s is %s", ErrNotPending, kind, strconv.Quote(id), st)
}

// CompleteWalletPayment marks a pending wallet load as paid: it credits the
// amount to the balance, records the new balance for PaymentStatus and posts
// a "success" webhook. It fails with ErrUnknownOrder or ErrNotPending.
func (s *Server) CompleteWalletPayment(orderID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.st.wallets[idKey(orderID)]
	if w == nil {
		return unknown("wallet load", orderID)
	}
	if w.state != "pending" {
		return notPending("wallet load", orderID, w.state)
	}
	w.state, w.updated = "success", s.cfg.clock()
	w.utr = "SBX" + randomFrom(digitChars, 9)
	s.st.balance += w.amount
	w.newBalance = s.st.balance
	s.notifyLocked(orderID, "success", "Online Wallet Load via API - Success - UTR: "+w.utr, w.returnURL)
	return nil
}

// FailWalletPayment marks a pending wallet load as failed (nothing is
// credited) and posts a "failed" webhook. It fails with ErrUnknownOrder or
// ErrNotPending.
func (s *Server) FailWalletPayment(orderID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.st.wallets[idKey(orderID)]
	if w == nil {
		return unknown("wallet load", orderID)
	}
	if w.state != "pending" {
		return notPending("wallet load", orderID, w.state)
	}
	w.state, w.updated = "failed", s.cfg.clock()
	s.notifyLocked(orderID, "failed", "Online Wallet Load via API - Failed", w.returnURL)
	return nil
}

// CompleteAccountOpening marks a pending NSDL account opening as completed
// (is_completed 1, status 1) and posts a "success" webhook to its
// return_url. It fails with ErrUnknownOrder or ErrNotPending.
func (s *Server) CompleteAccountOpening(orderID string) error {
	return s.finishAccount(orderID, "success", "", "Account opened successfully")
}

// FailAccountOpening marks a pending NSDL account opening as failed
// (is_completed 0, status 2, message "Account opening failed") and posts a
// "failed" webhook to its return_url. It fails with ErrUnknownOrder or
// ErrNotPending.
func (s *Server) FailAccountOpening(orderID string) error {
	return s.finishAccount(orderID, "failed", "Account opening failed", "Account opening failed")
}

func (s *Server) finishAccount(orderID, to, message, remark string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.accounts[idKey(orderID)]
	if a == nil {
		return unknown("account opening", orderID)
	}
	if a.state != "pending" {
		return notPending("account opening", orderID, a.state)
	}
	a.state, a.message, a.updated = to, message, s.cfg.clock()
	s.notifyLocked(orderID, to, remark, a.returnURL)
	return nil
}

// CompletePAN marks a pending PAN application as successful ("Success")
// and posts a "success" webhook (to its return_url if it had one, else the
// global URL). It fails with ErrUnknownOrder or ErrNotPending.
func (s *Server) CompletePAN(orderID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.pendingPAN(orderID)
	if err != nil {
		return err
	}
	p.state, p.updated = PANSuccess, s.cfg.clock()
	s.notifyLocked(orderID, "success", "PAN application submitted successfully", p.returnURL)
	return nil
}

// FailPAN marks a pending PAN application as failed and refunds its fee to
// the balance: PAN.Status then reports "Refund", and a "refund" webhook is
// posted. It fails with ErrUnknownOrder or ErrNotPending.
func (s *Server) FailPAN(orderID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.pendingPAN(orderID)
	if err != nil {
		return err
	}
	p.state, p.updated = PANRefund, s.cfg.clock()
	s.st.balance += p.fee
	s.notifyLocked(orderID, "refund", "PAN application failed, amount refunded", p.returnURL)
	return nil
}

func (s *Server) pendingPAN(orderID string) (*panApp, error) {
	p := s.st.pans[idKey(orderID)]
	if p == nil {
		return nil, unknown("PAN application", orderID)
	}
	if p.state != PANPending {
		return nil, notPending("PAN application", orderID, p.state)
	}
	return p, nil
}

// OTP returns the OTP "sent" for an Aadhaar request id, and whether the
// request exists. Never log it.
func (s *Server) OTP(requestID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.otps[requestID]
	if o == nil {
		return "", false
	}
	return o.otp, true
}

// PANStatus returns the state of a PAN application (PANPending,
// PANSuccess, PANRefund) and whether it exists.
func (s *Server) PANStatus(orderID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.pans[idKey(orderID)]
	if p == nil {
		return "", false
	}
	return p.state, true
}

// PANCount returns how many PAN applications were filed.
func (s *Server) PANCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.pans)
}

// AccountOpeningCount returns how many NSDL account openings were started.
func (s *Server) AccountOpeningCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.accountList)
}

package endpoints

import "testing"

// TestNamesMatchTable checks that every Name constant is an entry of All
// and every entry of All has a constant.
func TestNamesMatchTable(t *testing.T) {
	names := []Name{AccountStatus, AccountBalance, OnboardAgent, OpenAccount,
		BankAccountStatus, BankAccountDetails, IncompleteAccountURL, GenerateQR,
		PaymentStatus, PANRequest, PANStatus, PANResume, SendOTP, VerifyOTP}
	seen := map[string]bool{}
	for _, n := range names {
		if _, ok := Lookup(string(n)); !ok {
			t.Errorf("constant %q is not in the table", n)
		}
		seen[string(n)] = true
	}
	for _, e := range All {
		if !seen[e.Name] {
			t.Errorf("table entry %q has no Name constant", e.Name)
		}
	}
}

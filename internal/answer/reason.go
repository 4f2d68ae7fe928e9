package answer

import (
	"fmt"
	"net/http"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// unusable is what Decode found about an unusable JSON answer, for the
// reason its error gives.
type unusable struct {
	facts answerFacts
	env   *wire.Envelope
	// twice is the marker sent twice with different values, eerr the
	// error of a marker that cannot be read, misspelled the member
	// MisspelledMember found (of out's type).
	twice      string
	eerr       error
	misspelled string
	out        wire.Headed
	jerr       error
	// other is the id the answer names that is not the one asked.
	other otherID
}

// unusableReason says why an unusable JSON answer is unusable, in the
// order of the decision table (docs/outcomes.md), so that the error names
// the rule that decided, not another one; "" keeps the answer's own
// message (an HTTP 5xx, or a server failure the body describes).
func unusableReason(u unusable) string {
	f, status := u.facts, u.facts.HTTPStatus
	switch {
	case status < 200 || status > 599:
		return fmt.Sprintf("unexpected HTTP status %d", status)
	case status == http.StatusPartialContent:
		return "HTTP 206: part of an answer (the SDK never asks for one)"
	case status >= 500:
		return ""
	case notFromAPI(status):
		return fmt.Sprintf("HTTP %d may come from a proxy or the network, not the API", status)
	case u.twice != "":
		return fmt.Sprintf("answer contradicts itself: member %q sent twice with different values", u.twice)
	case u.eerr != nil:
		return "answer contradicts itself: unreadable marker: " + DescribeJSONError(u.eerr)
	case u.misspelled != "":
		if of := wire.FoldedFrom(u.misspelled, u.out); of != "" {
			return fmt.Sprintf("answer contradicts itself: member %q is a folded spelling of %q", u.misspelled, of)
		}
		return fmt.Sprintf("answer contradicts itself: member %q given twice", u.misspelled)
	case f.contradictory():
		return disagreement(f, u.env)
	case f.OtherOrder:
		return u.other.message()
	case status >= 400 && (f.Status == markSuccess || f.Code == markSuccess || f.OtherCode == markSuccess):
		return fmt.Sprintf("HTTP %d with a body that says success", status)
	case f.ServerCode:
		if !wire.Blank(string(u.env.Message)) {
			return ""
		}
		name, code := "status_code", u.env.StatusCode
		if !code.Set || code.Val < 500 || code.Val > 599 {
			name, code = "error_code", u.env.ErrorCode
		}
		return fmt.Sprintf("server failure: %s %d in the answer", name, code.Val)
	case f.Proof && (f.Status == markFailure || f.Code == markFailure || f.OtherCode == markFailure):
		return "a refusal carrying every must-have member of a success answer: it does not prove nothing was done"
	case status >= 400:
		return fmt.Sprintf("HTTP %d with a JSON body that neither refuses nor succeeds", status)
	case !f.Fits:
		return "answer does not match the documented shape: " + DescribeJSONError(u.jerr)
	case f.Missing != "":
		return "success answer without its must-have member " + f.Missing
	case f.Disagrees != "":
		return "answer unusable: " + f.Disagrees
	}
	return ""
}

// disagreement names the two markers that disagree: status and a code, or
// status_code and error_code.
func disagreement(f answerFacts, env *wire.Envelope) string {
	opposite := func(a, b marker) bool {
		return a == markSuccess && b == markFailure || a == markFailure && b == markSuccess
	}
	codeName, code := "error_code", env.ErrorCode.Val
	if env.StatusCode.Set {
		codeName, code = "status_code", env.StatusCode.Val
	}
	switch {
	case opposite(f.Status, f.Code):
		return fmt.Sprintf("answer contradicts itself: status %q with %s %d", env.Status.String(), codeName, code)
	case opposite(f.Status, f.OtherCode):
		return fmt.Sprintf("answer contradicts itself: status %q with error_code %d", env.Status.String(), env.ErrorCode.Val)
	}
	return fmt.Sprintf("answer contradicts itself: status_code %d with error_code %d", env.StatusCode.Val, env.ErrorCode.Val)
}

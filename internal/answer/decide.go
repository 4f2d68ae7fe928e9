package answer

import "github.com/inexopay/inexopay-go/internal/wire"

// This file is the one decision table of the SDK: what an HTTP answer
// means for the caller. It depends only on the small types below (no
// Client, no APIError), so that it can move to an internal package; the
// root package maps a decision to its error types (answer.go, client.go).
// docs/outcomes.md prints the same table for readers.

// decision is what one answer means.
type decision uint8

const (
	// decideSuccess: the call was done and the answer carries everything
	// the call exists to return.
	decideSuccess decision = iota + 1
	// decideRefused: the API refused the call in a well-formed JSON
	// answer, so it was provably not done (fix and try again).
	decideRefused
	// decideUnusable: the answer does not say what happened. A charging
	// call's outcome is unknown (reconcile by status); a read-only call
	// fails with a server error.
	decideUnusable
)

// String names the decision as docs/outcomes.md does.
func (d decision) String() string {
	switch d {
	case decideSuccess:
		return "success"
	case decideRefused:
		return "refused"
	case decideUnusable:
		return "unusable"
	}
	return "undecided"
}

// bodyShape is what an answer's body is, found from its bytes (PHP back
// ends send JSON as text/html, so the content type decides nothing).
type bodyShape uint8

const (
	shapeEmpty   bodyShape = iota // nothing, or white space only
	shapeNotJSON                  // an HTML or text page, a JSON array or scalar
	shapeBadJSON                  // starts like a JSON object but does not parse (cut short)
	shapeObject                   // a JSON object
	shapeForm                     // an HTML page with the one form a PAN call may answer with
)

// marker is what one member of the envelope (status, or
// status_code/error_code) says.
type marker uint8

const (
	markNone    marker = iota // absent, null, or a value that says neither
	markSuccess               // status true/1/"SUCCESS"/"success"/"ok"; code 0 or 200–299
	markFailure               // status false/0/"FAILED"/"failure"/"error"…; any other code
)

// answerFacts are the facts about one answer that decide it.
type answerFacts struct {
	HTTPStatus int
	Shape      bodyShape
	// Status and Code are the markers of the body's status member and of
	// its status_code (else error_code); OtherCode is error_code's when the
	// body sends both codes.
	Status, Code, OtherCode marker
	// ServerCode is set when either code of the body (status_code or
	// error_code) is a 5xx.
	ServerCode bool
	// Fits is set when the body decoded into the call's answer type (every
	// member it reads strictly had a readable value).
	Fits bool
	// Missing names the first must-have member absent or null ("" when
	// every one is there); for a form, "" when the form is usable.
	Missing string
	// TwoValues is set when a marker member (status, status_code,
	// error_code) was sent twice, also under a case-folded name that
	// encoding/json would match ("STATUS"), with values that differ, or
	// when a marker has a value that cannot be read: the answer does not
	// say one thing.
	TwoValues bool
	// OtherOrder is set when the answer, a refusal too, names another
	// order (at any depth), request, txn id, PAN or Aadhaar number than
	// the one the call named.
	OtherOrder bool
	// Proof is set when the body decoded into the call's answer type with
	// every must-have member of a success (Fits, Missing ""), or did not
	// decode but carries them all the same (carriesMustHaves): the very
	// members a done call returns (a URL, a request id), so that a failure
	// marker beside them does not prove that nothing was done.
	Proof bool
	// Disagrees says why the answer's members disagree with each other or
	// with what the call asked (a UPI link that pays another order or
	// amount, agree.go); "" when they agree.
	Disagrees string
}

// contradictory reports whether the markers disagree, with each other or
// with themselves (TwoValues).
func (f answerFacts) contradictory() bool {
	if f.TwoValues {
		return true
	}
	disagree := func(a, b marker) bool {
		return a == markSuccess && b == markFailure || a == markFailure && b == markSuccess
	}
	return disagree(f.Status, f.Code) || disagree(f.Status, f.OtherCode) || disagree(f.Code, f.OtherCode)
}

// decide is the decision table. Charging and read-only calls share it:
// only what decideUnusable becomes differs (see decision).
//
//	HTTP status   body                                        decision
//	1xx, 3xx      anything                                    unusable
//	206           anything (a part: the SDK sends no Range)   unusable
//	5xx           anything                                    unusable
//	any           empty, not JSON, cut-short JSON             unusable (but a usable PAN form on 2xx: success)
//	any           JSON whose status and codes disagree        unusable
//	any           JSON with a marker sent twice, differing    unusable
//	407 408 421   anything (a proxy's, the network's or the   unusable
//	425 499       client's own status, not the API's)
//	any           JSON about another order, request, txn id,  unusable
//	              agent id, PAN or Aadhaar number than the one asked
//	any           JSON with a failure marker and every        unusable
//	              must-have of the success answer
//	4xx           JSON saying success                         unusable
//	4xx           JSON with a 5xx code                        unusable
//	4xx           JSON with a failure marker                  refused
//	4xx           JSON without one (a message alone too)      unusable
//	2xx           JSON with a failure marker, 5xx code        unusable
//	2xx           JSON with a failure marker                  refused
//	2xx           JSON, not of the documented member types    unusable
//	2xx           JSON without a must-have member             unusable
//	2xx           JSON whose UPI link pays another order or   unusable
//	              amount, or of another amount than asked
//	2xx           JSON with every must-have                   success
func decide(f answerFacts) decision {
	s := f.HTTPStatus
	switch {
	case s < 200 || s >= 300 && s < 400 || s >= 500 || s > 599, s == 206:
		return decideUnusable
	case f.Shape == shapeForm:
		if s <= 299 && f.Missing == "" {
			return decideSuccess
		}
		return decideUnusable
	case f.Shape != shapeObject, f.contradictory(), notFromAPI(s):
		return decideUnusable
	case f.OtherOrder: // a refusal about another subject is not this call's either
		return decideUnusable
	}
	failed := f.Status == markFailure || f.Code == markFailure || f.OtherCode == markFailure
	if s >= 400 { // 4xx
		switch {
		case f.Status == markSuccess || f.Code == markSuccess || f.OtherCode == markSuccess, f.ServerCode:
			return decideUnusable
		case failed && f.Proof: // a refusal carrying a success's proof
			return decideUnusable
		case failed:
			// Every failure the API documents carries a failure marker: a
			// message alone is a web framework's page (a route not found).
			return decideRefused
		}
		return decideUnusable
	}
	switch {
	case failed && (f.ServerCode || f.Proof):
		return decideUnusable
	case failed:
		return decideRefused
	case !f.Fits, f.Missing != "", f.Disagrees != "":
		return decideUnusable
	}
	return decideSuccess
}

// notFromAPI reports whether an HTTP status is one that a proxy, a load
// balancer or the network may send in the API's place, so that no body
// sent with it proves the API refused: 407 (proxy authentication), 408
// (request timeout), 421 (misdirected), 425 (too early) and 499 (client
// closed the request, nginx).
func notFromAPI(status int) bool {
	switch status {
	case 407, 408, 421, 425, 499:
		return true
	}
	return false
}

// statusMarker reads the envelope's status member: set is false when it is
// absent or null; isBool when it was true/false/1/0.
func statusMarker(set, isBool, b bool, text string) marker {
	switch {
	case !set:
		return markNone
	case isBool:
		if b {
			return markSuccess
		}
		return markFailure
	}
	switch wire.ReadWord(text) {
	case wire.WordSuccess:
		return markSuccess
	case wire.WordFailure:
		return markFailure
	}
	return markNone
}

// codeMarker reads the envelope's status_code (else error_code): 0 (PHP's
// "no error", also sent as "0") and 200–299 say success, any other code
// failure.
func codeMarker(set bool, code int) marker {
	switch {
	case !set:
		return markNone
	case code == 0 || code >= 200 && code <= 299:
		return markSuccess
	}
	return markFailure
}

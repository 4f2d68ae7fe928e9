package answer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The rows of the table in docs/outcomes.md, one test each.
func TestDecideTable(t *testing.T) {
	ok := answerFacts{HTTPStatus: 200, Shape: shapeObject, Status: markSuccess, Code: markSuccess, Fits: true}
	with := func(f func(*answerFacts)) answerFacts { a := ok; f(&a); return a }
	for _, tc := range []struct {
		name string
		f    answerFacts
		want decision
	}{
		{"2xx JSON with every must-have", ok, decideSuccess},
		{"2xx JSON without markers but with every must-have", with(func(a *answerFacts) { a.Status, a.Code = markNone, markNone }), decideSuccess},
		{"1xx", with(func(a *answerFacts) { a.HTTPStatus = 103 }), decideUnusable},
		{"3xx", with(func(a *answerFacts) { a.HTTPStatus = 302 }), decideUnusable},
		{"206 JSON saying success", with(func(a *answerFacts) { a.HTTPStatus = 206 }), decideUnusable},
		{"206 JSON refusal", with(func(a *answerFacts) { a.HTTPStatus = 206; a.Status = markFailure; a.Code = markFailure }), decideUnusable},
		{"206 usable form", answerFacts{HTTPStatus: 206, Shape: shapeForm}, decideUnusable},
		{"5xx JSON saying success", with(func(a *answerFacts) { a.HTTPStatus = 500 }), decideUnusable},
		{"5xx JSON refusal", with(func(a *answerFacts) { a.HTTPStatus = 503; a.Status = markFailure; a.Code = markFailure }), decideUnusable},
		{"empty", with(func(a *answerFacts) { a.Shape = shapeEmpty }), decideUnusable},
		{"HTML 400", with(func(a *answerFacts) { a.HTTPStatus = 400; a.Shape = shapeNotJSON }), decideUnusable},
		{"HTML 422", with(func(a *answerFacts) { a.HTTPStatus = 422; a.Shape = shapeNotJSON }), decideUnusable},
		{"cut short", with(func(a *answerFacts) { a.Shape = shapeBadJSON }), decideUnusable},
		{"usable form on 200", answerFacts{HTTPStatus: 200, Shape: shapeForm}, decideSuccess},
		{"form on 403", answerFacts{HTTPStatus: 403, Shape: shapeForm}, decideUnusable},
		{"page without usable form", answerFacts{HTTPStatus: 200, Shape: shapeForm, Missing: "form"}, decideUnusable},
		{"contradiction: SUCCESS with error code 1", with(func(a *answerFacts) { a.Code = markFailure }), decideUnusable},
		{"contradiction: FAILED with code 200", with(func(a *answerFacts) { a.Status = markFailure }), decideUnusable},
		{"contradiction: status_code 200 with error_code 500", with(func(a *answerFacts) { a.OtherCode = markFailure }), decideUnusable},
		{"contradiction: status_code 400 with error_code 0", with(func(a *answerFacts) {
			a.Status, a.Code, a.OtherCode = markNone, markFailure, markSuccess
		}), decideUnusable},
		{"a marker sent twice with different values", with(func(a *answerFacts) { a.TwoValues = true }), decideUnusable},
		{"4xx refusal with a marker sent twice", with(func(a *answerFacts) {
			a.HTTPStatus, a.Status, a.Code, a.TwoValues = 400, markFailure, markFailure, true
		}), decideUnusable},
		{"2xx refusal with a marker sent twice", with(func(a *answerFacts) { a.Status, a.Code, a.TwoValues = markFailure, markFailure, true }), decideUnusable},
		{"4xx JSON saying success", with(func(a *answerFacts) { a.HTTPStatus = 400 }), decideUnusable},
		{"4xx JSON with a 5xx code", with(func(a *answerFacts) {
			a.HTTPStatus, a.Status, a.Code, a.ServerCode = 400, markFailure, markFailure, true
		}), decideUnusable},
		{"4xx JSON refusal", with(func(a *answerFacts) { a.HTTPStatus, a.Status, a.Code = 400, markFailure, markFailure }), decideRefused},
		{"4xx JSON refusal by status false only", with(func(a *answerFacts) {
			a.HTTPStatus, a.Status, a.Code = 404, markFailure, markNone
		}), decideRefused},
		{"4xx JSON refusal by a code only", with(func(a *answerFacts) {
			a.HTTPStatus, a.Status, a.Code = 404, markNone, markFailure
		}), decideRefused},
		{"407 JSON refusal (a proxy's)", with(func(a *answerFacts) { a.HTTPStatus, a.Status, a.Code = 407, markFailure, markFailure }), decideUnusable},
		{"408 JSON refusal", with(func(a *answerFacts) { a.HTTPStatus, a.Status, a.Code = 408, markFailure, markFailure }), decideUnusable},
		{"421 JSON refusal", with(func(a *answerFacts) { a.HTTPStatus, a.Status, a.Code = 421, markFailure, markFailure }), decideUnusable},
		{"425 JSON refusal", with(func(a *answerFacts) { a.HTTPStatus, a.Status, a.Code = 425, markFailure, markFailure }), decideUnusable},
		{"499 JSON refusal", with(func(a *answerFacts) { a.HTTPStatus, a.Status, a.Code = 499, markFailure, markFailure }), decideUnusable},
		{"4xx JSON with nothing", with(func(a *answerFacts) { a.HTTPStatus, a.Status, a.Code = 404, markNone, markNone }), decideUnusable},
		{"2xx refusal", with(func(a *answerFacts) { a.Status, a.Code = markFailure, markFailure; a.Fits = false }), decideRefused},
		{"2xx refusal by status false only", with(func(a *answerFacts) { a.Status, a.Code = markFailure, markNone }), decideRefused},
		{"2xx refusal carrying every must-have", with(func(a *answerFacts) { a.Status, a.Code, a.Proof = markFailure, markFailure, true }), decideUnusable},
		{"4xx refusal carrying every must-have", with(func(a *answerFacts) {
			a.HTTPStatus, a.Status, a.Code, a.Proof = 402, markFailure, markNone, true
		}), decideUnusable},
		{"2xx refusal with a 5xx code", with(func(a *answerFacts) { a.Status, a.Code, a.ServerCode = markFailure, markFailure, true }), decideUnusable},
		{"2xx not of the documented types", with(func(a *answerFacts) { a.Fits = false }), decideUnusable},
		{"2xx without a must-have", with(func(a *answerFacts) { a.Missing = "data.url" }), decideUnusable},
		{"2xx about another order", with(func(a *answerFacts) { a.OtherOrder = true }), decideUnusable},
		{"2xx whose members disagree", with(func(a *answerFacts) { a.Disagrees = "tr" }), decideUnusable},
	} {
		assert.Equal(t, tc.want, decide(tc.f), tc.name)
	}
}

func TestDecideMarkers(t *testing.T) {
	for _, tc := range []struct {
		set, isBool, b bool
		text           string
		want           marker
	}{
		{true, true, true, "", markSuccess}, {true, true, false, "", markFailure},
		{true, false, false, "SUCCESS", markSuccess}, {true, false, false, "success", markSuccess},
		{true, false, false, " Success ", markSuccess}, {true, false, false, "FAILED", markFailure},
		{true, false, false, "failure", markFailure}, {true, false, false, "Error", markFailure},
		{true, false, false, "pending", markNone}, {false, false, false, "", markNone},
	} {
		assert.Equal(t, tc.want, statusMarker(tc.set, tc.isBool, tc.b, tc.text), "%+v", tc)
	}
	assert.Equal(t, markSuccess, codeMarker(true, 0))
	assert.Equal(t, markSuccess, codeMarker(true, 200))
	assert.Equal(t, markFailure, codeMarker(true, 400))
	assert.Equal(t, markFailure, codeMarker(true, 1))
	assert.Equal(t, markNone, codeMarker(false, 0))
}

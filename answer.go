package inexopay

import (
	"net/http"
	"net/url"

	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/htmlform"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// This file is the root's side of reading answers (internal/answer decodes
// them by the decision table): the answer of the PAN calls, whose success
// may be an HTML page with a form instead of JSON.

// panAnswer is the answer of PAN.Request and PAN.Resume: the JSON document,
// or the form of an HTML page.
type panAnswer struct {
	wire.PANApplication
	form *RedirectForm
}

// DecodeHTML keeps the form of an HTML answer, or returns the error the
// page amounts to (answer.HTMLDecoder).
func (a *panAnswer) DecodeHTML(e Endpoint, resp *http.Response, body []byte) *APIError {
	var reqURL *url.URL
	if resp.Request != nil {
		reqURL = resp.Request.URL
	}
	form, refusal := htmlform.Parse(body, reqURL)
	if refusal == nil {
		a.form = &RedirectForm{Action: form.Action, Method: form.Method, Fields: form.Fields}
		return nil
	}
	ae := apierr.MarkServer(&APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: e,
		ContentType: resp.Header.Get("Content-Type"), Message: refusal.Reason}, false, false)
	if refusal.ShowPage {
		// No form at all: the page's text says more than the reason.
		ae.Snippet = answer.Snippet(body)
	}
	return ae
}

var _ answer.HTMLDecoder = (*panAnswer)(nil)

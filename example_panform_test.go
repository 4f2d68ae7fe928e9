package inexopay_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	inexopay "github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/inexopaytest"
)

// An http.Handler that files a PAN application and sends the applicant on,
// whichever way the API answered: a redirect to the URL of a JSON answer,
// or the auto-submitting page of an HTML form answer.
func ExampleRedirectForm_WritePage() {
	// The sandbox answering like the mail.inexopay.in host: an HTML form.
	srv := inexopaytest.NewServer(inexopaytest.WithPANAnswer(inexopaytest.PANAnswerForm))
	defer srv.Close()
	client := srv.Client()

	start := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		app, err := client.PAN.Request(r.Context(), &inexopay.PANRequestParams{
			Mobile:  "9876543210",
			OrderID: "PAN-EXAMPLE-1", // your order id, saved before the call
			Mode:    inexopay.PANModeEKYC,
			Type:    inexopay.PANTypeNew,
		})
		switch {
		case errors.Is(err, inexopay.ErrOutcomeUnknown):
			// Maybe charged: check PAN.Status before trying again.
			http.Error(w, "Your application is being checked, please retry shortly.", http.StatusServiceUnavailable)
		case err != nil:
			http.Error(w, "The application could not be started.", http.StatusBadGateway)
		case app.Form != nil:
			if err := app.Form.WritePage(w); err != nil {
				http.Error(w, "The application could not be started.", http.StatusInternalServerError)
			}
		default:
			http.Redirect(w, r, app.URL, http.StatusSeeOther)
		}
	})

	rec := httptest.NewRecorder()
	start.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/pan/start", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println("posts to the NSDL page:", strings.Contains(rec.Body.String(), `action="`+srv.URL+`/sandbox/nsdl/pan"`))
	fmt.Println("script allowed by hash:", strings.Contains(rec.Header().Get("Content-Security-Policy"), inexopay.RedirectFormScriptHash))
	// Output:
	// 200 text/html; charset=utf-8
	// posts to the NSDL page: true
	// script allowed by hash: true
}

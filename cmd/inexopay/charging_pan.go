// Charging commands of PAN: pan-request and pan-resume, and the hand-off
// of an application that continues with an HTML form.

package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/inexopay/inexopay-go"
)

const panRequestHelp = "File an NSDL PAN application, charging the PAN fee from the API\n" +
	"balance, and print the URL to send the applicant to. Without -order a new\n" +
	"order id is generated; it is printed first, so that an unknown outcome can\n" +
	"be looked up with 'inexopay pan-status ORDER'. Asks for confirmation\n" +
	"unless -yes. Text output masks the mobile number.\n" + panFormHelp

const panResumeHelp = "Get a fresh URL for the incomplete PAN application ORDER (a call that\n" +
	"creates something, so it is never retried once sent). Asks for\n" +
	"confirmation unless -yes.\n" + panFormHelp

const panFormHelp = "When the API answers with an HTML form instead of a URL, the whole hand-off\n" +
	"is printed: the form's action, method and every field (text output masks\n" +
	"the values and the action's query; -json prints them, with the API key\n" +
	"masked wherever the form echoes it). -form-out FILE writes the page that\n" +
	"submits the form as it came (readable by you only), to open in the\n" +
	"applicant's browser.\n"

type panApplicationJSON struct {
	OrderID string       `json:"order_id"`
	TxID    string       `json:"txid,omitempty"`
	URL     string       `json:"url"`
	Mobile  string       `json:"mobile,omitempty"`
	Form    *panFormJSON `json:"form,omitempty"`
}

// panFormJSON is the HTML form an application continues with.
type panFormJSON struct {
	Action  string              `json:"action"`
	Method  string              `json:"method"`
	Enctype string              `json:"enctype,omitempty"` // how a POST encodes its fields
	Fields  map[string][]string `json:"fields"`
}

// incompleteError is the error of a charging command whose call went
// through and whose result is printed, but without all the command
// reports: a PAN application without a txid, or a form page not written.
// It exits with exitIncomplete; its text names the order to check.
type incompleteError struct{ msg string }

func (e *incompleteError) Error() string { return e.msg }

// finishPANApplication prints the charged application a of order orderID
// (the order asked: the answer may not name it), then writes its form page
// to formOut when given. A page not written, or a JSON answer without a
// txid, is an *incompleteError.
func (c *cli) finishPANApplication(a *inexopay.PANApplication, orderID, formOut string) error {
	if err := c.printPANHandOff(a, orderID); err != nil {
		return err
	}
	if err := c.writeFormPage(a, formOut); err != nil {
		return &incompleteError{fmt.Sprintf("the application %s was filed and its hand-off is printed above, but %v", orderID, err)}
	}
	if a.Form == nil && strings.TrimSpace(a.TxID) == "" {
		return &incompleteError{fmt.Sprintf("the API's answer gave no txid for application %s: run 'inexopay pan-status %s' to check it before sending the applicant on", orderID, orderID)}
	}
	return nil
}

func (c *cli) printPANHandOff(a *inexopay.PANApplication, orderID string) error {
	// The form comes from the network and may echo the call's secret, the
	// API key (a PAN call carries no Aadhaar number, OTP or PAN): it is
	// masked wherever it appears, with -json too. The -form-out page keeps
	// the form as it came: it is the hand-off.
	if c.opts.json {
		out := panApplicationJSON{OrderID: orderID, TxID: a.TxID, URL: c.clean(a.URL), Mobile: a.Mobile}
		if f := a.Form; f != nil {
			out.Form = &panFormJSON{Action: c.clean(f.Action), Method: f.Method, Enctype: f.Enctype,
				Fields: map[string][]string{}}
			for k, vs := range f.Fields {
				clean := make([]string, len(vs))
				for i, v := range vs {
					clean[i] = c.clean(v)
				}
				k = c.clean(k)
				out.Form.Fields[k] = append(out.Form.Fields[k], clean...)
			}
		}
		return c.printJSON(out)
	}
	if f := a.Form; f != nil {
		fields := []field{
			{"Order", orderID},
			{"Hand-off", "HTML form (no txid): the applicant's browser must submit it; see -form-out"},
			{"Action", c.clean(maskURLQuery(f.Action))},
			{"Method", f.Method},
		}
		if f.Method == http.MethodPost {
			fields = append(fields, field{"Enctype", f.Enctype})
		}
		names := make([]string, 0, len(f.Fields))
		for k := range f.Fields {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			for range f.Fields[k] {
				fields = append(fields, field{"Field " + c.clean(k), "[REDACTED]"})
			}
		}
		return c.printFields(fields...)
	}
	return c.printFields(
		field{"Order", orderID},
		field{"Txid", a.TxID},
		field{"URL", c.clean(a.URL)},
		field{"Mobile", inexopay.MaskMobile(a.Mobile)},
	)
}

// maskURLQuery hides a URL's query, which may carry a session token.
func maskURLQuery(s string) string {
	if i := strings.IndexByte(s, '?'); i >= 0 {
		return s[:i] + "?[REDACTED]"
	}
	return s
}

// checkFormOut refuses, before anything is sent, a -form-out path the page
// could not be written to: one that exists (a page is never written over a
// file) or whose folder does not.
func checkFormOut(path string) error {
	if path == "" {
		return nil
	}
	reason := ""
	if _, err := os.Lstat(path); err == nil {
		reason = "the file exists: name a new one (the page is never written over a file)"
	} else if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		reason = "its folder does not exist"
	}
	if reason == "" {
		return nil
	}
	return &inexopay.ValidationError{Field: "-form-out", Reason: reason, Errors: []inexopay.FieldError{{Field: "-form-out", Reason: reason}}}
}

// writeFormPage writes the page that submits a's form to path, a new file
// readable by its owner only (the fields carry the applicant's session).
// Without a form it writes nothing and says so.
func (c *cli) writeFormPage(a *inexopay.PANApplication, path string) error {
	if path == "" {
		return nil
	}
	if a.Form == nil {
		c.errorf("the API answered with a URL, not a form: nothing written to %s", path)
		return nil
	}
	pw := &pageWriter{h: http.Header{}}
	if err := a.Form.WritePage(pw); err != nil {
		return fmt.Errorf("writing the form page: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) //nolint:gosec // the file the operator named with -form-out
	if err != nil {
		return fmt.Errorf("writing the form page: %w", err)
	}
	_, err = f.Write(pw.body.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing the form page: %w", err)
	}
	c.errorf("wrote the page that continues the application to %s: open it in the applicant's browser", path)
	return nil
}

// pageWriter collects what RedirectForm.WritePage writes.
type pageWriter struct {
	h    http.Header
	body bytes.Buffer
}

func (w *pageWriter) Header() http.Header         { return w.h }
func (w *pageWriter) Write(b []byte) (int, error) { return w.body.Write(b) }
func (w *pageWriter) WriteHeader(int)             {}

func (c *cli) setupPANRequest(fs *flag.FlagSet) runFunc {
	mobile := fs.String("mobile", "", "the applicant's `mobile` number (required)")
	order := fs.String("order", "", "your order `id` (default: a new one, printed first)")
	mode := fs.String("mode", string(inexopay.PANModeEKYC), "KYC `mode`: EKYC or ESIGN")
	typ := fs.String("type", string(inexopay.PANTypeNew), "application `type`: new_pan (or new) or correction")
	returnURL := fs.String("return-url", "", "where the applicant is sent afterwards and this application's webhooks go (`URL`)")
	formOut := fs.String("form-out", "", "when the API answers with an HTML form, write the page that submits it to `FILE`")
	return func(ctx context.Context, client *inexopay.Client, _ []string) error {
		p := &inexopay.PANRequestParams{Mobile: *mobile, OrderID: orderOrNew(*order, "PAN"),
			Mode: inexopay.PANMode(strings.ToUpper(*mode)), Type: panType(*typ), ReturnURL: *returnURL}
		if err := p.Validate(); err != nil {
			return err
		}
		if err := checkFormOut(*formOut); err != nil {
			return err
		}
		var a *inexopay.PANApplication
		err := c.charge("Order id", p.OrderID, "files a PAN application and charges the PAN fee from your API balance",
			[]field{{"Mobile", inexopay.MaskMobile(p.Mobile)}, {"Mode", string(p.Mode)}, {"Type", string(p.Type)}, {"Return URL", p.ReturnURL}},
			"The application may have been filed and charged: run 'inexopay pan-status "+p.OrderID+"' before trying again.",
			func() (err error) {
				a, err = client.PAN.Request(ctx, p)
				return err
			})
		if err != nil {
			return err
		}
		return c.finishPANApplication(a, p.OrderID, *formOut)
	}
}

func (c *cli) setupPANResume(fs *flag.FlagSet) runFunc {
	formOut := fs.String("form-out", "", "when the API answers with an HTML form, write the page that submits it to `FILE`")
	return func(ctx context.Context, client *inexopay.Client, args []string) error {
		if err := checkFormOut(*formOut); err != nil {
			return err
		}
		var a *inexopay.PANApplication
		err := c.charge("Order id", args[0], "asks INEXOPAY for a fresh URL of an incomplete PAN application", nil,
			"The application may have been resumed: run 'inexopay pan-status "+args[0]+"' before trying again.",
			func() (err error) {
				a, err = client.PAN.Resume(ctx, args[0])
				return err
			})
		if err != nil {
			return err
		}
		return c.finishPANApplication(a, args[0], *formOut)
	}
}

// panType reads -type: the documented new_pan or correction, or new.
func panType(s string) inexopay.PANType {
	if s = strings.ToLower(strings.TrimSpace(s)); s == "new" {
		return inexopay.PANTypeNew
	}
	return inexopay.PANType(s)
}

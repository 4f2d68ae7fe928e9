// Tests of the faults: what each kind does to a call, and the one table
// of their names.

package inexopaytest

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	inexopay "github.com/inexopay/inexopay-go"
)

func TestFaults(t *testing.T) {
	s := newServer(t)
	c := s.Client()
	ctx := context.Background()

	// Read-only calls are retried through 5xx and dropped connections.
	s.InjectFault(inexopay.EndpointAccountBalance, Fault{Kind: FaultHTTP500}, 1)
	s.InjectFault(inexopay.EndpointAccountBalance, Fault{Kind: FaultDrop}, 1)
	s.InjectFault(inexopay.EndpointAccountBalance, Fault{Kind: FaultDelay, Delay: time.Millisecond}, 1)
	b, err := c.Account.Balance(ctx)
	require.NoError(t, err)
	assert.Equal(t, inexopay.Rupees(1000), b.Amount)
	assert.Equal(t, 3, s.Requests(inexopay.EndpointAccountBalance))

	// A 502 that outlasts the retries: the HTML page becomes a typed error.
	s.InjectFault(inexopay.EndpointAccountStatus, Fault{Kind: FaultHTTP502}, 5)
	_, err = c.Account.Status(ctx)
	var ae *inexopay.APIError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, inexopay.ErrServer)
	assert.Equal(t, 502, ae.HTTPStatus)
	assert.Equal(t, "text/html; charset=UTF-8", ae.ContentType)
	assert.Contains(t, ae.Snippet, "502 Bad Gateway")
	assert.Equal(t, 4, s.Requests(inexopay.EndpointAccountStatus))
	_, err = c.Account.Status(ctx) // the fifth fault, then a retry that succeeds
	require.NoError(t, err)
	assert.Equal(t, 6, s.Requests(inexopay.EndpointAccountStatus))

	params := &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "F1", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew}
	// Charging calls are not retried; a refused HTML form and drop-before leave no trace.
	s.InjectFault(inexopay.EndpointPANRequest, Fault{Kind: FaultHTMLForm}, 1)
	_, err = c.PAN.Request(ctx, params)
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 200, ae.HTTPStatus)
	assert.Contains(t, ae.Message, "http://nsdl.sandbox.invalid/sandbox/nsdl/pan is plain http", "the SDK refuses the form")
	s.InjectFault(inexopay.EndpointPANRequest, Fault{Kind: FaultDrop}, 1)
	_, err = c.PAN.Request(ctx, params)
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Equal(t, 2, s.Requests(inexopay.EndpointPANRequest))
	assert.Equal(t, 0, s.PANCount())
	assert.Equal(t, inexopay.Rupees(1000), s.Balance())

	// Dropped after processing: charged once, answer lost, status tells.
	s.InjectFault(inexopay.EndpointPANRequest, Fault{Kind: FaultDropAfterProcessing}, 1)
	_, err = c.PAN.Request(ctx, params)
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	assert.Equal(t, 3, s.Requests(inexopay.EndpointPANRequest))
	assert.Equal(t, inexopay.Rupees(1000)-DefaultPANFee, s.Balance())
	st, err := c.PAN.Status(ctx, "F1")
	require.NoError(t, err)
	assert.Equal(t, inexopay.StatusPending, st.Status)
	// Trying again with the same order id does not charge twice.
	_, err = c.PAN.Request(ctx, params)
	require.ErrorIs(t, err, inexopay.ErrBadRequest)
	assert.Equal(t, inexopay.Rupees(1000)-DefaultPANFee, s.Balance())

	// A delay longer than the caller waits: the wait ends with the request,
	// and the call is still processed (the back end did not notice).
	s.InjectFault(inexopay.EndpointPANRequest, Fault{Kind: FaultDelay, Delay: time.Hour}, 1)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	_, err = c.PAN.Request(short, &inexopay.PANRequestParams{Mobile: "9876543210", OrderID: "F2", Mode: inexopay.PANModeEKYC, Type: inexopay.PANTypeNew})
	cancel()
	require.ErrorIs(t, err, inexopay.ErrOutcomeUnknown)
	require.Eventually(t, func() bool { _, ok := s.PANStatus("F2"); return ok }, 5*time.Second, time.Millisecond)
	assert.Equal(t, inexopay.Rupees(1000)-2*DefaultPANFee, s.Balance())

	// n <= 0 injects nothing.
	s.InjectFault(inexopay.EndpointPANStatus, Fault{Kind: FaultHTTP500}, 0)
	_, err = c.PAN.Status(ctx, "F2")
	require.NoError(t, err)
	assert.Equal(t, "FaultDropAfterProcessing", FaultDropAfterProcessing.String())
	assert.Equal(t, "FaultKind(42)", FaultKind(42).String())
}

// faultKindConsts returns the names of the FaultKind constants, in order,
// as faults.go declares them: a kind added there without a row in
// faultKinds fails TestFaultTable.
func faultKindConsts(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "faults.go", nil, 0)
	require.NoError(t, err)
	var names []string
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for i, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if i == 0 {
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "FaultKind" {
					break
				}
			}
			for _, n := range vs.Names {
				names = append(names, n.Name)
			}
		}
	}
	return names
}

// TestFaultTable proves there is one table of fault kinds: every FaultKind
// constant has its row, the Go API and the HTTP fault control accept every
// kind of it and queue the same fault, and the control's refusals, its line
// on the index page and the package documentation list exactly its names.
func TestFaultTable(t *testing.T) {
	consts := faultKindConsts(t)
	require.Len(t, faultKinds, len(consts), "every FaultKind constant has a row in faultKinds")
	var names []string
	for i, fk := range faultKinds {
		assert.Equal(t, FaultKind(i+1), fk.kind, "rows in the order of the constants")
		assert.Equal(t, consts[i], fk.goName)
		assert.Equal(t, consts[i], fk.kind.String())
		assert.Equal(t, fk.name, faultKindName(fk.kind))
		assert.NotContains(t, names, fk.name, "names are unique")
		names = append(names, fk.name)
	}
	assert.Equal(t, "FaultKind(42)", FaultKind(42).String())
	assert.Equal(t, "FaultKind(42)", faultKindName(42))

	// Each kind, through the Go API and through the HTTP control (by its
	// name, in any case), queues the same fault.
	s := newServer(t)
	e := inexopay.EndpointPANStatus
	for _, fk := range faultKinds {
		want := Fault{Kind: fk.kind}
		form := url.Values{"endpoint": {string(e)}, "kind": {strings.ToUpper(fk.name)}}
		if fk.kind == FaultDelay {
			want.Delay = 3 * time.Millisecond
			form.Set("delay", "3ms")
		}
		s.InjectFault(e, want, 1)
		code, _, body := httpControl(t, s, http.MethodPost, "fault", form)
		require.Equal(t, http.StatusOK, code, body)
		assert.Contains(t, body, `"kind":"`+fk.name+`"`)
		s.mu.Lock()
		q := s.st.faults[e]
		s.st.faults[e] = nil
		s.mu.Unlock()
		assert.Equal(t, []faultSlot{{f: want, n: 1}, {f: want, n: 1}}, q, fk.name)
	}

	// The refusals list exactly the table's names, in its order.
	listed := func(msg, prefix string) []string {
		t.Helper()
		require.True(t, strings.HasPrefix(msg, prefix), msg)
		return strings.Split(strings.TrimPrefix(msg, prefix), ", ")
	}
	for _, tc := range []struct{ kind, prefix string }{
		{"bogus", `inexopaytest: unknown kind "bogus": want one of `},
		{"", "inexopaytest: kind is required: one of "},
	} {
		code, _, body := httpControl(t, s, http.MethodPost, "fault", url.Values{"endpoint": {string(e)}, "kind": {tc.kind}})
		require.Equal(t, http.StatusBadRequest, code)
		var ans struct{ Message string }
		require.NoError(t, json.Unmarshal([]byte(body), &ans))
		assert.Equal(t, names, listed(ans.Message, tc.prefix))
	}

	// The index page's line for the kind field lists them too.
	var doc string
	for _, c := range s.controlTable() {
		for _, f := range c.fields {
			if c.path == "/sandbox/control/fault" && f.name == "kind" {
				doc = f.doc
			}
		}
	}
	last := strings.LastIndex(doc, " or ")
	require.Positive(t, last, doc)
	assert.Equal(t, names, strings.Split(doc[:last]+", "+doc[last+len(" or "):], ", "))

	// And so does the package documentation.
	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	text := strings.Join(strings.Fields(strings.ReplaceAll(string(src), "//", "")), " ")
	assert.Contains(t, text, "kind is one of "+faultKindNames(", ", " and ")+
		" ("+faultKinds[0].goName+" … "+faultKinds[len(faultKinds)-1].goName+")")
}

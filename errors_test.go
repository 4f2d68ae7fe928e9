package inexopay

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/inexopay/inexopay-go/internal/apierr"
	table "github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- errors re-exported ----

// TestErrorsReExported: the root's sentinels are the very values the
// machinery returns, and its error types are the machinery's, so errors.Is
// and errors.As work on what any call returns. (The errors' own behaviour
// is tested in internal/apierr.)
func TestErrorsReExported(t *testing.T) {
	pairs := []struct{ root, inner error }{
		{ErrBadRequest, apierr.ErrBadRequest}, {ErrUnauthorized, apierr.ErrUnauthorized},
		{ErrInsufficientBalance, apierr.ErrInsufficientBalance}, {ErrForbidden, apierr.ErrForbidden},
		{ErrNotFound, apierr.ErrNotFound}, {ErrMethodNotAllowed, apierr.ErrMethodNotAllowed},
		{ErrRateLimited, apierr.ErrRateLimited}, {ErrServer, apierr.ErrServer},
		{ErrInvalidParams, apierr.ErrInvalidParams}, {ErrOutcomeUnknown, apierr.ErrOutcomeUnknown},
	}
	for _, p := range pairs {
		assert.Same(t, p.inner, p.root)
	}
	inner := apierr.MarkServer(&apierr.APIError{Endpoint: EndpointPANRequest, HTTPStatus: 200}, true, false)
	err := fmt.Errorf("billing: %w", &apierr.OutcomeUnknownError{Endpoint: EndpointPANRequest, OrderID: "ORD1", Err: inner})
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "ORD1", ou.OrderID)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Same(t, inner, ae)
	assert.ErrorIs(t, err, ErrServer)
	var ve *ValidationError
	assert.False(t, errors.As(err, &ve))
	assert.ErrorIs(t, &ValidationError{Field: "PAN", Errors: []FieldError{{Field: "PAN"}}}, ErrInvalidParams)
}

// ---- The endpoint table ----

// allEndpoints are the Endpoint constants, written out again so that the
// test notices one missing from the table.
var allEndpoints = []Endpoint{
	EndpointAccountStatus, EndpointAccountBalance, EndpointOnboardAgent, EndpointOpenAccount,
	EndpointBankAccountStatus, EndpointBankAccountDetails, EndpointIncompleteAccountURL,
	EndpointGenerateQR, EndpointPaymentStatus, EndpointPANRequest, EndpointPANStatus,
	EndpointPANResume, EndpointSendOTP, EndpointVerifyOTP,
}

// formTypes are the unexported form structs each call encodes its input
// through (go-querystring reads their url tags).
var formTypes = map[Endpoint]any{
	EndpointOnboardAgent:         onboardAgentForm{},
	EndpointOpenAccount:          openAccountForm{},
	EndpointBankAccountStatus:    panForm{},
	EndpointBankAccountDetails:   accountDetailsForm{},
	EndpointIncompleteAccountURL: orderForm{},
	EndpointGenerateQR:           generateQRForm{},
	EndpointPaymentStatus:        walletOrderForm{},
	EndpointPANRequest:           panRequestForm{},
	EndpointPANStatus:            orderForm{},
	EndpointPANResume:            orderForm{},
	EndpointSendOTP:              sendOTPForm{},
	EndpointVerifyOTP:            verifyOTPForm{},
}

// formFields returns the url-tagged fields of a params struct, each with
// whether it is required (no omitempty).
func formFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		tag, ok := t.Field(i).Tag.Lookup("url")
		if !ok || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		out[name] = !strings.Contains(opts, "omitempty")
	}
	return out
}

// TestEndpointTableMatchesSDK checks the one endpoint table
// (internal/endpoints, which generates docs/endpoints.md and the sandbox's
// index page) against the SDK itself: every Endpoint constant is in it,
// every service method's form fields (the url tags of its form struct,
// required unless omitempty) are exactly the table's fields, and its
// result type is the table's Result.
func TestEndpointTableMatchesSDK(t *testing.T) {
	require.Len(t, table.All, len(allEndpoints))
	c, err := NewClient(BodyAuth("k", "u"))
	require.NoError(t, err)
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	for _, e := range allEndpoints {
		info, ok := table.Lookup(string(e))
		require.True(t, ok, "%s missing from internal/endpoints", e)
		assert.Equal(t, DefaultBaseURL+info.Path, c.urls[e], e)
		assert.Equal(t, info.Charging, endpoints[e].Charging, e)

		svc, method, _ := strings.Cut(string(e), ".")
		sv := reflect.ValueOf(c).Elem().FieldByName(svc)
		require.True(t, sv.IsValid(), "no service %s", svc)
		m := sv.MethodByName(method)
		require.True(t, m.IsValid(), "no method %s", e)
		mt := m.Type()
		require.True(t, mt.IsVariadic(), e)
		require.Equal(t, ctxType, mt.In(0), e)
		require.Equal(t, 2, mt.NumOut(), e)
		assert.Equal(t, info.Result, mt.Out(0).Elem().Name(), "%s: result type", e)

		var params reflect.Type
		if f := formTypes[e]; f != nil {
			params = reflect.TypeOf(f)
		}
		want := map[string]bool{}
		for _, f := range info.Fields {
			want[f.Name] = f.Required
		}
		if params == nil {
			assert.Empty(t, want, "%s takes no fields", e)
			assert.Equal(t, 2, mt.NumIn(), "%s: a method with arguments needs its params struct here", e)
			continue
		}
		assert.Equal(t, want, formFields(params), "%s: form fields of %s (name → required) differ from internal/endpoints", e, params.Name())
	}
}

// TestEndpointTableExamples checks that the table's examples are complete:
// every required field has one, and names are unique.
func TestEndpointTableExamples(t *testing.T) {
	var names []string
	for _, e := range table.All {
		names = append(names, e.Name)
		assert.True(t, strings.HasPrefix(e.Path, "/api/"), e.Name)
		assert.NotEmpty(t, e.Summary, e.Name)
		seen := map[string]bool{}
		for _, f := range e.Fields {
			assert.False(t, seen[f.Name], "%s: %s twice", e.Name, f.Name)
			seen[f.Name] = true
			assert.NotEmpty(t, f.Doc, "%s.%s", e.Name, f.Name)
			if f.Required {
				assert.NotEmpty(t, f.Example, "%s.%s is required and needs an example", e.Name, f.Name)
			}
		}
	}
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	for i := 1; i < len(sorted); i++ {
		assert.NotEqual(t, sorted[i-1], sorted[i])
	}
}

// TestEndpointConstNames checks the constant names docs/endpoints.md
// gives (internal/endpoints.ConstName) against the constants declared in
// errors.go: every declared constant is listed below with its value, and
// the name the docs give each endpoint is the constant holding its name.
func TestEndpointConstNames(t *testing.T) {
	values := map[string]Endpoint{
		"EndpointAccountStatus": EndpointAccountStatus, "EndpointAccountBalance": EndpointAccountBalance,
		"EndpointOnboardAgent": EndpointOnboardAgent, "EndpointOpenAccount": EndpointOpenAccount,
		"EndpointBankAccountStatus": EndpointBankAccountStatus, "EndpointBankAccountDetails": EndpointBankAccountDetails,
		"EndpointIncompleteAccountURL": EndpointIncompleteAccountURL, "EndpointGenerateQR": EndpointGenerateQR,
		"EndpointPaymentStatus": EndpointPaymentStatus, "EndpointPANRequest": EndpointPANRequest,
		"EndpointPANStatus": EndpointPANStatus, "EndpointPANResume": EndpointPANResume,
		"EndpointSendOTP": EndpointSendOTP, "EndpointVerifyOTP": EndpointVerifyOTP,
	}
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	require.NoError(t, err)
	var names []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			for _, name := range spec.(*ast.ValueSpec).Names {
				names = append(names, name.Name)
			}
		}
	}
	require.Len(t, names, len(values), "a constant of errors.go is missing from this test")
	declared := map[string]string{} // value → constant name
	for _, n := range names {
		v, ok := values[n]
		require.True(t, ok, n)
		declared[string(v)] = n
	}
	for _, e := range table.All {
		assert.Equal(t, declared[e.Name], table.ConstName(e.Name), e.Name)
	}
}

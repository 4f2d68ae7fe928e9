package inexopay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"math"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-querystring/query"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAmountRupees(t *testing.T) {
	assert.Equal(t, Amount(10000), Rupees(100))
	assert.Equal(t, Amount(0), Rupees(0))
	assert.Equal(t, Amount(-500), Rupees(-5))
	// Beyond an int64 of paise: saturated, never wrapped, and refused by
	// validation.
	assert.Equal(t, Amount(math.MaxInt64), Rupees(184467440737095517))
	assert.Equal(t, Amount(math.MaxInt64), Rupees(math.MaxInt64))
	assert.Equal(t, Amount(math.MinInt64), Rupees(math.MinInt64/50))
	assert.ErrorIs(t, (&GenerateQRParams{Amount: Rupees(184467440737095517)}).Validate(), ErrInvalidParams)
	assert.ErrorIs(t, (&GenerateQRParams{Amount: MaxAmount + 1}).Validate(), ErrInvalidParams)
	assert.NoError(t, (&GenerateQRParams{Amount: MaxAmount}).Validate())
	assert.Equal(t, int64(1250), Amount(125050).Rupees())
	assert.Equal(t, int64(125050), Amount(125050).Paise())
	assert.Equal(t, int64(0), Amount(99).Rupees())
}

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Amount
	}{
		{"1250.50", 125050},
		{"1250.5", 125050},
		{"107", 10700},
		{"107.00", 10700},
		{"1,250.50", 125050},
		{"1,25,050.50", 12505050},
		{"1,00,000", 1_00_000_00},
		{"100,000", 1_00_000_00},
		{"1,000,000.25", 1_000_000_25},
		{"10,00,000", 10_00_000_00},
		{"0", 0},
		{"0.01", 1},
		{" 42 ", 4200},
		{"10,00,00,000", MaxAmount},
	} {
		got, err := ParseAmount(tc.in)
		if assert.NoError(t, err, tc.in) {
			assert.Equal(t, tc.want, got, tc.in)
		}
	}
	for _, tc := range []struct {
		in     string
		kind   error
		reason string
	}{
		{"1.005", wire.ErrAmountSyntax, "fractions of a paisa"},
		{"0.001", wire.ErrAmountSyntax, "fractions of a paisa"},
		{"107.000", wire.ErrAmountSyntax, "at most 2 decimals"},
		{"2,50", wire.ErrAmountSyntax, "misplaced comma"},
		{"1,2,3", wire.ErrAmountSyntax, "misplaced comma"},
		{"1,0000", wire.ErrAmountSyntax, "misplaced comma"},
		{"10,00,000,000", wire.ErrAmountSyntax, "misplaced comma"},
		{"1,00,0000", wire.ErrAmountSyntax, "misplaced comma"},
		{"1,000.5,0", wire.ErrAmountSyntax, ""},
		{"1e3", wire.ErrAmountSyntax, "exponent"},
		{"1.5e2", wire.ErrAmountSyntax, "exponent"},
		{"1.25E1", wire.ErrAmountSyntax, "exponent"},
		{"-5.25", wire.ErrAmountRange, "negative"},
		{"+5.25", wire.ErrAmountSyntax, ""},
		{".5", wire.ErrAmountSyntax, ""},
		{"5.", wire.ErrAmountSyntax, ""},
		{"10,00,00,000.01", wire.ErrAmountRange, "at most"},
		{"92233720368547758.07", wire.ErrAmountRange, "at most"},
		{"abc", wire.ErrAmountSyntax, ""},
		{"", wire.ErrAmountSyntax, ""},
		{" ", wire.ErrAmountSyntax, ""},
		{".", wire.ErrAmountSyntax, ""},
		{"-", wire.ErrAmountSyntax, ""},
		{"--5", wire.ErrAmountSyntax, ""},
		{"1..2", wire.ErrAmountSyntax, ""},
		{"1.2.3", wire.ErrAmountSyntax, ""},
		{",100", wire.ErrAmountSyntax, ""},
		{"100,", wire.ErrAmountSyntax, ""},
		{"12a", wire.ErrAmountSyntax, ""},
		{"₹100", wire.ErrAmountSyntax, ""},
		{"NaN", wire.ErrAmountSyntax, ""},
		{"Infinity", wire.ErrAmountSyntax, ""},
		{"1e", wire.ErrAmountSyntax, ""},
		{"1e-3", wire.ErrAmountSyntax, ""},
		{"1e1000", wire.ErrAmountSyntax, ""},
		{"1e400", wire.ErrAmountSyntax, "exponent"},
		{"99999999999999999999", wire.ErrAmountRange, ""},
		{"92233720368547758.08", wire.ErrAmountRange, ""},
	} {
		got, err := ParseAmount(tc.in)
		if assert.Error(t, err, "%q parsed as %d", tc.in, got) {
			assert.ErrorIs(t, err, tc.kind, tc.in)
			assert.Contains(t, err.Error(), tc.reason, tc.in)
		}
		assert.Equal(t, Amount(0), got, tc.in)
	}
}

func TestAmountString(t *testing.T) {
	for _, tc := range []struct {
		in   Amount
		want string
	}{
		{125050, "1250.50"},
		{10700, "107.00"},
		{5, "0.05"},
		{0, "0.00"},
		{-525, "-5.25"},
		{-5, "-0.05"},
		{math.MaxInt64, "92233720368547758.07"},
		{math.MinInt64, "-92233720368547758.08"},
	} {
		assert.Equal(t, tc.want, tc.in.String(), int64(tc.in))
	}
}

func TestAmountFormValue(t *testing.T) {
	for _, tc := range []struct {
		in   Amount
		want string
	}{
		{Rupees(100), "100"},
		{10050, "100.50"},
		{10005, "100.05"},
		{1, "0.01"},
		{0, "0"},
		{Rupees(1250), "1250"},
	} {
		assert.Equal(t, tc.want, tc.in.FormValue(), int64(tc.in))
	}
}

// TestNoQueryEncoderInPublicAPI: go-querystring is an implementation
// detail; no exported type implements its Encoder, and no exported params
// struct carries url tags (forms are built from unexported types).
func TestNoQueryEncoderInPublicAPI(t *testing.T) {
	for _, v := range []any{Amount(0), AccountType(0), Status(""), AadhaarStatus(""), PANMode(""), PANType("")} {
		_, ok := v.(query.Encoder)
		assert.False(t, ok, "%T implements query.Encoder", v)
	}
	for _, p := range []any{OnboardAgentParams{}, OpenAccountParams{}, AccountDetailsParams{}, GenerateQRParams{},
		PANRequestParams{}, SendOTPParams{}, VerifyOTPParams{}} {
		rt := reflect.TypeOf(p)
		for i := 0; i < rt.NumField(); i++ {
			_, tagged := rt.Field(i).Tag.Lookup("url")
			assert.False(t, tagged, "%s.%s has a url tag", rt.Name(), rt.Field(i).Name)
		}
	}
}

func TestAmountJSON(t *testing.T) {
	type doc struct {
		A Amount `json:"a"`
	}
	b, err := json.Marshal(doc{125050})
	require.NoError(t, err)
	assert.Equal(t, `{"a":1250.50}`, string(b))
	b, err = json.Marshal(doc{-5})
	require.NoError(t, err)
	assert.Equal(t, `{"a":-0.05}`, string(b))

	for _, a := range []Amount{0, 1, 99, 125050, MaxAmount} {
		b, err := json.Marshal(a)
		require.NoError(t, err)
		var back Amount
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		assert.Equal(t, a, back, "round trip of %s", b)
	}

	for in, want := range map[string]Amount{
		`1250.50`: 125050, `1250.5`: 125050, `"1250.50"`: 125050, `"1,250.50"`: 125050,
		`107`: 10700, `"107.00"`: 10700, `107.00`: 10700, `null`: 0, `""`: 0, `0`: 0,
	} {
		var a Amount = 77
		if assert.NoError(t, json.Unmarshal([]byte(in), &a), in) {
			assert.Equal(t, want, a, in)
		}
	}
	// UnmarshalJSON refuses what ParseAmount refuses: a sign, an exponent,
	// an amount over MaxAmount, blank text, a misplaced comma.
	for _, in := range []string{`"abc"`, `1250.505`, `true`, `{}`, `[]`, `"1.005"`, `1e400`,
		`-100`, `"-100"`, `-525`, `1e2`, `"1e2"`, `1000000000.01`, `"  "`, `" "`, `"2,50"`} {
		var a Amount = 77
		assert.Error(t, json.Unmarshal([]byte(in), &a), in)
		assert.Equal(t, Amount(77), a, "%s: left unchanged", in)
	}
	assert.Equal(t, int64(MaxAmount), int64(wire.MaxPaise), "one maximum")
}

func TestParseStatus(t *testing.T) {
	for in, want := range map[string]Status{
		"success":     StatusSuccess,
		"Success":     StatusSuccess,
		"SUCCESS":     StatusSuccess,
		" Success\n":  StatusSuccess,
		"pending":     StatusPending,
		"PENDING":     StatusPending,
		"Failed":      StatusFailed,
		"FAILED":      StatusFailed,
		"refund":      StatusRefund,
		"Refund":      StatusRefund,
		"":            "",
		"Processing":  "processing",
		"in_progress": "in_progress",
		// Trimmed as PHP's trim() trims, lower-cased in ASCII only: an
		// undocumented word or one with an invisible character around it
		// is never a documented state.
		"SUCCESS\x00\x0b": StatusSuccess,
		"\u00a0success":   "\u00a0success",
		"success\u200b":   "success\u200b",
		"\ffailed":        "\ffailed",
		"REFUNDED":        "refunded",
		"Successful":      "successful",
		"Cancelled":       "cancelled",
		"REVERSED":        "reversed",
		"Initiated":       "initiated",
		"FAİLED":          "faİled",
	} {
		assert.Equal(t, want, ParseStatus(in), "%q", in)
	}
}

func TestStatusFinal(t *testing.T) {
	for s, final := range map[Status]bool{
		StatusSuccess: true, StatusFailed: true, StatusRefund: true,
		StatusPending: false, "verified": false, "": false, "processing": false, "SUCCESS": false,
		"successful": false, "refunded": false, "cancelled": false, "reversed": false, "initiated": false,
	} {
		assert.Equal(t, final, s.Final(), "%q", s)
	}
}

func TestStatusUnmarshalJSON(t *testing.T) {
	for in, want := range map[string]Status{
		`"SUCCESS"`: StatusSuccess, `"Success"`: StatusSuccess, `"pending"`: StatusPending,
		`" Failed "`: StatusFailed, `null`: "", `""`: "", `1`: "1",
	} {
		var s Status = "x"
		if assert.NoError(t, json.Unmarshal([]byte(in), &s), in) {
			assert.Equal(t, want, s, in)
		}
	}
	for _, in := range []string{`{}`, `[]`, `"unterminated`} {
		var s Status
		assert.Error(t, json.Unmarshal([]byte(in), &s), in)
	}
}

func TestAccountTypeAndEnums(t *testing.T) {
	assert.Equal(t, "savings", SavingsAccount.String())
	assert.Equal(t, "current", CurrentAccount.String())
	assert.Equal(t, "7", AccountType(7).String())

	assert.Equal(t, PANMode("EKYC"), PANModeEKYC)
	assert.Equal(t, PANMode("ESIGN"), PANModeESign)
	assert.Equal(t, PANType("new_pan"), PANTypeNew)
	assert.Equal(t, PANType("correction"), PANTypeCorrection)
}

// TestParseAmountErrorIsNotAPIError: a parse failure is a plain error, never
// mistaken for a validation or API failure.
func TestParseAmountErrorIsNotAPIError(t *testing.T) {
	_, err := ParseAmount("abc")
	require.Error(t, err)
	var ae *APIError
	var ve *ValidationError
	assert.False(t, errors.As(err, &ae))
	assert.False(t, errors.As(err, &ve))
}

// ---- masked printing of every type ----

// ---- Results print masked ----

func TestResultsMaskPersonalData(t *testing.T) {
	app := PANApplication{TxID: "50089349", Mobile: "9876543210", OrderID: "ORD1"}
	st := PANStatus{OrderID: "ORD1", Mobile: "9876543210", Status: StatusSuccess}
	ver := AadhaarVerification{RequestID: "R1", Status: AadhaarVerified,
		Details: AadhaarDetails{FullName: "Shivam", DOB: "01-01-2001", Gender: "Male", Address: "Nagla Sarai, Agra"}}
	for _, v := range []any{app, &app, st, &st, ver, &ver} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			for _, secret := range []string{"9876543210", "Shivam", "01-01-2001", "Nagla Sarai"} {
				assert.NotContains(t, out, secret, "%s of %T", verb, v)
			}
		}
	}
	assert.Contains(t, fmt.Sprint(app), "XXXXXX3210")
	assert.Contains(t, fmt.Sprint(ver), "Gender:Male")
	assert.Equal(t, "9876543210", app.Mobile, "the value itself is kept for the program")
}

// ---- Every secret-bearing field is masked ----

// secretFieldName matches the names of fields that hold a secret or data
// masked in printing: such a field needs a mask tag. A name ending in Last4
// (AadhaarOTP.AadhaarLast4) holds only what masks keep.
var secretFieldName = regexp.MustCompile(`Aadhaar|OTP|PAN|Mobile|Phone|RequestID|APIKey|ApiKey|Secret|Password|Token`)

func isSecretName(name string) bool {
	return secretFieldName.MatchString(name) && !strings.HasSuffix(name, "Last4")
}

// maskedTypes are the package's types that hold a secret, by name. The test
// below finds every such type in the source and fails for one missing here,
// so that a new type cannot skip the checks.
var maskedTypes = map[string]any{
	"SendOTPParams":       SendOTPParams{},
	"VerifyOTPParams":     VerifyOTPParams{},
	"AadhaarOTP":          AadhaarOTP{},
	"PANStatusData":       PANStatusData{},
	"AadhaarDetails":      AadhaarDetails{},
	"AadhaarVerification": AadhaarVerification{},
	"OnboardAgentParams":  OnboardAgentParams{},
	"OpenAccountParams":   OpenAccountParams{},
	"BankAccount":         BankAccount{},
	"PANRequestParams":    PANRequestParams{},
	"PANApplication":      PANApplication{},
	"PANStatus":           PANStatus{},
	"AccountOpening":      AccountOpening{},
	"IncompleteAccount":   IncompleteAccount{},
	"WalletQR":            WalletQR{},
	"WebhookEvent":        WebhookEvent{},
}

// astStruct is a struct type declared in the package source.
type astStruct struct {
	name   string
	fields []astField
}

type astField struct {
	name, tag string
	// typ is the name of the field's type with pointers and slices
	// removed, when it is a type of this package.
	typ string
}

// packageStructs parses the package's non-test source and returns its
// exported struct types.
func packageStructs(t *testing.T) map[string]astStruct {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	out := map[string]astStruct{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok || !ts.Name.IsExported() {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			s := astStruct{name: ts.Name.Name}
			for _, fl := range st.Fields.List {
				var tag string
				if fl.Tag != nil {
					tag, _ = strconv.Unquote(fl.Tag.Value)
				}
				typ := fl.Type
				for {
					switch x := typ.(type) {
					case *ast.StarExpr:
						typ = x.X
						continue
					case *ast.ArrayType:
						typ = x.Elt
						continue
					}
					break
				}
				var typName string
				if id, ok := typ.(*ast.Ident); ok {
					typName = id.Name
				}
				names := fl.Names
				if len(names) == 0 { // embedded
					s.fields = append(s.fields, astField{name: typName, tag: tag, typ: typName})
				}
				for _, nm := range names {
					if nm.IsExported() {
						s.fields = append(s.fields, astField{name: nm.Name, tag: tag, typ: typName})
					}
				}
			}
			out[s.name] = s
			return true
		})
	}
	require.NotEmpty(t, out)
	return out
}

// secretBearing returns the names of the struct types that hold a secret:
// a field with a secret name or a mask tag, or a field of such a type.
func secretBearing(structs map[string]astStruct) map[string][]string {
	bearing := map[string][]string{} // type -> its secret fields
	for changed := true; changed; {
		changed = false
		for _, s := range structs {
			var why []string
			for _, f := range s.fields {
				tag := reflect.StructTag(f.tag)
				_, tagged := tag.Lookup("mask")
				switch {
				case tagged, isSecretName(f.name) && !isStruct(structs, f.typ):
					why = append(why, f.name)
				case bearing[f.typ] != nil:
					why = append(why, f.name+" ("+f.typ+")")
				}
			}
			if len(why) > 0 && len(bearing[s.name]) != len(why) {
				bearing[s.name] = why
				changed = true
			}
		}
	}
	return bearing
}

// isStruct reports whether typ names a struct type of the package (such as
// Client.PAN, a *PANService): its name says nothing about a secret.
func isStruct(structs map[string]astStruct, typ string) bool {
	_, ok := structs[typ]
	return ok
}

func TestEverySecretBearingTypeIsMasked(t *testing.T) {
	structs := packageStructs(t)
	bearing := secretBearing(structs)
	var names []string
	for n := range bearing {
		names = append(names, n)
	}
	sort.Strings(names)
	require.NotEmpty(t, names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			v, ok := maskedTypes[name]
			require.True(t, ok, "%s holds %v: give it a mask tag on each and the Format and LogValue methods (see mask.go), and add it to maskedTypes",
				name, bearing[name])
			for _, f := range structs[name].fields {
				if isSecretName(f.name) && !isStruct(structs, f.typ) {
					_, tagged := reflect.StructTag(f.tag).Lookup("mask")
					assert.True(t, tagged, "%s.%s has a secret's name but no mask tag", name, f.name)
				}
			}
			checkMasked(t, v)
		})
	}
	for name := range maskedTypes {
		assert.Contains(t, bearing, name, "%s is listed but holds no secret", name)
	}
}

// checkMasked plants a value in every secret field of v (and of the masked
// structs it holds) and requires that no way of printing or logging v
// shows it, while the fields keep it.
func checkMasked(t *testing.T, v any) {
	typ := reflect.TypeOf(v)
	val := reflect.New(typ).Elem()
	plants := plant(t, val, typ.Name())
	require.NotEmpty(t, plants, "%s: no field to plant a secret in", typ.Name())
	for _, ifc := range []string{"Format", "LogValue"} {
		_, ok := typ.MethodByName(ifc)
		require.True(t, ok, "%s has no %s method on its value", typ.Name(), ifc)
	}
	_, isFormatter := val.Interface().(fmt.Formatter)
	_, isLogValuer := val.Interface().(slog.LogValuer)
	require.True(t, isFormatter && isLogValuer, "%s must implement fmt.Formatter and slog.LogValuer", typ.Name())

	value, ptr := val.Interface(), val.Addr().Interface()
	var outs []string
	for _, x := range []any{value, ptr, struct{ Field any }{value}, []any{ptr}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%10.3s", "%#q"} {
			outs = append(outs, fmt.Sprintf(verb, x))
		}
	}
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		l := slog.New(h)
		l.Info("value", "v", value)
		l.Info("pointer", "v", ptr)
		l.Info("group", slog.Group("g", "v", value))
	}
	outs = append(outs, buf.String())
	for field, p := range plants {
		secretPart := p[:len(p)-4] // masks may keep the last 4 characters
		for _, out := range outs {
			assert.NotContains(t, out, secretPart, "%s printed in full", field)
		}
	}
	// The program still has the values.
	again := plant(t, reflect.New(typ).Elem(), typ.Name())
	assert.Equal(t, again, plants)
	for field, p := range plants {
		assert.Contains(t, fmt.Sprintf("%#v", fieldValues(val)), p, "%s keeps its value", field)
	}
	assert.Contains(t, outs[1], typ.Name(), "the type is named in %%+v")
}

// plant sets every secret field of the struct v (and of structs of masked
// types in it) to a distinct value, and returns them by field path.
func plant(t *testing.T, v reflect.Value, path string) map[string]string {
	out := map[string]string{}
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		_, tagged := f.Tag.Lookup("mask")
		secret := tagged || isSecretName(f.Name)
		fv := v.Field(i)
		switch {
		case secret && fv.Kind() == reflect.String:
			p := fmt.Sprintf("PLANTED-%s-%s-9876", path, f.Name)
			switch f.Tag.Get("mask") {
			case "url":
				// A URL keeps its host and path; the query is the secret.
				fv.SetString("https://nsdl.example/start?token=" + p)
			case "text":
				// Free text is kept; an Aadhaar-like run in it is the secret.
				p = "23456789" + fmt.Sprintf("%04d", i)
				fv.SetString("free text " + p + " kept")
			default:
				fv.SetString(p)
			}
			out[path+"."+f.Name] = p
		case fv.Kind() == reflect.Struct:
			if _, ok := maskedTypes[fv.Type().Name()]; ok {
				for k, p := range plant(t, fv, path+"."+f.Name) {
					out[k] = p
				}
			}
		case secret:
			t.Errorf("%s.%s: cannot plant a secret in a %s", path, f.Name, fv.Type())
		}
	}
	return out
}

// fieldValues returns the raw values of v's fields, bypassing its methods.
func fieldValues(v reflect.Value) []any {
	var out []any
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); v.Type().Field(i).IsExported() {
			if f.Kind() == reflect.Struct {
				out = append(out, fieldValues(f)...)
				continue
			}
			out = append(out, f.Interface())
		}
	}
	return out
}

func TestMaskTagsAreKnown(t *testing.T) {
	for name, s := range packageStructs(t) {
		for _, f := range s.fields {
			if kind, ok := reflect.StructTag(f.tag).Lookup("mask"); ok {
				known := redact.KnownMask(kind)
				assert.True(t, known, "%s.%s: unknown mask kind %q", name, f.name, kind)
			}
		}
	}
}

func TestMaskedOutputShapes(t *testing.T) {
	p := VerifyOTPParams{OrderID: "A1", RequestID: "ADHRVFR19052420260531_1e2d274", OTP: relOTP, AadhaarNumber: relAadhaar}
	rid := strings.Repeat("X", len(p.RequestID)-4) + "d274"
	aadhaar := "XXXXXXXX" + relAadhaar[8:]
	want := "VerifyOTPParams{OrderID:A1 RequestID:" + rid + " OTP:[REDACTED] AadhaarNumber:" + aadhaar + "}"
	assert.Equal(t, want, fmt.Sprint(p))
	assert.Equal(t, want, fmt.Sprintf("%+v", p))
	assert.Equal(t, want, fmt.Sprintf("%v", &p))
	assert.Equal(t, `inexopay.VerifyOTPParams{OrderID:"A1", RequestID:"`+rid+`", OTP:"[REDACTED]", AadhaarNumber:"`+aadhaar+`"}`,
		fmt.Sprintf("%#v", p))
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "params", p)
	assert.Contains(t, buf.String(), `"params":{"OrderID":"A1","RequestID":"`+rid+`","OTP":"[REDACTED]","AadhaarNumber":"`+aadhaar+`"}`)
	// An empty secret prints empty: "not set" differs from "hidden".
	assert.Equal(t, "VerifyOTPParams{OrderID: RequestID: OTP: AadhaarNumber:}", fmt.Sprint(VerifyOTPParams{}))
	// A nil pointer prints as fmt prints nil pointers.
	assert.Equal(t, "<nil>", fmt.Sprintf("%v", (*VerifyOTPParams)(nil)))
	// A nested masked type prints through its own methods.
	v := AadhaarVerification{Details: AadhaarDetails{FullName: "Shivam", Gender: "Male"}}
	assert.Contains(t, fmt.Sprint(v), "Details:AadhaarDetails{FullName:[REDACTED] DOB: Gender:Male Address:}")
}

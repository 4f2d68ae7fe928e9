package validate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// formatCase is one input to a check: valid when want is "".
type formatCase struct {
	in   string
	want string
}

func runFormat(t *testing.T, name string, check func(string) string, cases []formatCase) {
	t.Helper()
	for _, tc := range cases {
		got := check(tc.in)
		assert.Equal(t, tc.want, got, "%s(%q)", name, tc.in)
		if got != "" && len(tc.in) >= 3 {
			assert.NotContains(t, got, tc.in, "%s: the reason must not repeat the value", name)
		}
	}
}

func TestPAN(t *testing.T) {
	const form = "must be in the form AAAAA9999A (capital letters and digits)"
	const length = "must be 10 characters in the form AAAAA9999A"
	runFormat(t, "PAN", PAN, []formatCase{
		{"NTFPS6013M", ""},
		{"ABCDE1234F", ""},
		{"ZZZZZ0000Z", ""},
		{"ntfps6013m", form},
		{"NTFPs6013M", form},
		{"NTFP16013M", form},
		{"NTFPS601AM", form},
		{"NTFPS60133", form},
		{"1TFPS6013M", form},
		{"NTFPS 013M", form},
		{"", length},
		{"NTFPS6013", length},
		{"NTFPS6013MM", length},
		{"ＮTFPS6013M", length}, // a full-width letter is 3 bytes
	})
}

func aadhaarWith(body string) string { return body + string(VerhoeffDigit(body)) }

func TestAadhaar(t *testing.T) {
	const digits = "must be 12 digits"
	runFormat(t, "Aadhaar", Aadhaar, []formatCase{
		{"234567890124", ""},
		{aadhaarWith("23456789012"), ""},
		{aadhaarWith("99999999999"), ""},
		{aadhaarWith("20000000000"), ""},
		{"", digits},
		{"23456789014", digits},
		{"2345678901241", digits},
		{"23456789014A", digits},
		{"2345 6789 0124", digits},
		{"2345-6789-0124", digits},
		{"२३४५६७८९०१२४", digits},
		{aadhaarWith("04100335644"), "must not start with 0 or 1"},
		{aadhaarWith("14100335644"), "must not start with 0 or 1"},
		{"234567890125", "fails the Verhoeff check digit"},
		{"243567890124", "fails the Verhoeff check digit"}, // adjacent digits swapped
		{"234567890154", "fails the Verhoeff check digit"},
	})
}

func TestVerhoeffCatchesSingleErrorsAndTranspositions(t *testing.T) {
	for _, base := range []string{"23456789012", "98765432101", "50000000000", "23456789014"} {
		full := aadhaarWith(base)
		assert.True(t, Verhoeff(full), full)
		for i := 0; i < len(full); i++ {
			for d := byte('0'); d <= '9'; d++ {
				if d == full[i] {
					continue
				}
				mut := full[:i] + string(d) + full[i+1:]
				assert.False(t, Verhoeff(mut), "single-digit change %s → %s passes", full, mut)
			}
			if i+1 < len(full) && full[i] != full[i+1] {
				sw := full[:i] + string(full[i+1]) + string(full[i]) + full[i+2:]
				assert.False(t, Verhoeff(sw), "transposition %s → %s passes", full, sw)
			}
		}
	}
	assert.False(t, Verhoeff(""), "empty")
	assert.False(t, Verhoeff("12a4"), "letters")
	assert.True(t, Verhoeff("0"), "0 is its own check digit")
}

func TestMobile(t *testing.T) {
	const reason = "must be 10 digits starting with 6, 7, 8 or 9"
	runFormat(t, "Mobile", Mobile, []formatCase{
		{"9876543210", ""},
		{"6000000000", ""},
		{"7091919185", ""},
		{"8123456789", ""},
		{"", reason},
		{"987654321", reason},
		{"98765432101", reason},
		{"5876543210", reason},
		{"0876543210", reason},
		{"+919876543210", reason},
		{"98765 43210", reason},
		{"98765432a0", reason},
	})
}

func TestPincode(t *testing.T) {
	const reason = "must be 6 digits not starting with 0"
	runFormat(t, "Pincode", Pincode, []formatCase{
		{"852105", ""},
		{"110001", ""},
		{"999999", ""},
		{"", reason},
		{"052105", reason},
		{"85210", reason},
		{"8521050", reason},
		{"85210A", reason},
		{"852 105", reason},
	})
}

func TestOTP(t *testing.T) {
	const reason = "must be 6 digits"
	runFormat(t, "OTP", OTP, []formatCase{
		{"123456", ""},
		{"000000", ""},
		{"", reason},
		{"12345", reason},
		{"1234567", reason},
		{"12345a", reason},
		{"12 456", reason},
	})
}

func TestEmail(t *testing.T) {
	const reason = "must be an e-mail address such as name@example.com"
	runFormat(t, "Email", Email, []formatCase{
		{"binodk@gmail.com", ""},
		{"a.b+tag@mail.example.co.in", ""},
		{"", reason},
		{"binodk", reason},
		{"binodk@", reason},
		{"@gmail.com", reason},
		{"binodk@localhost", reason},
		{"Binod <binodk@gmail.com>", reason},
		{"binodk@gmail.com ", reason},
		{"a@b@c.com", reason},
		{"a b@c.com", reason},
	})
}

func TestDate(t *testing.T) {
	const reason = "must be a date in the form YYYY-MM-DD"
	runFormat(t, "Date", Date, []formatCase{
		{"2001-01-01", ""},
		{"2024-02-29", ""},
		{"", reason},
		{"2024-02-30", reason},
		{"2023-02-29", reason},
		{"2024-13-01", reason},
		{"01-01-2001", reason},
		{"2001/01/01", reason},
		{"2001-1-1", reason},
		{"2001-01-01T00:00:00Z", reason},
	})
}

func TestID(t *testing.T) {
	const reason = "must not contain control characters"
	runFormat(t, "ID", ID, []formatCase{
		{"ORD12345", ""},
		{"WAL1234567890123", ""},
		{"a-b_c.d:e/f#1", ""},
		{strings.Repeat("A", 65), ""}, // the API document states no length
		{strings.Repeat("A", 500), ""},
		{"ORD 1", ""}, // a space is text, not a control character
		{"ORDé1", ""}, // so is any letter
		{"", ""},      // emptiness is the caller's "required" check
		{"ORD\t1", reason},
		{"ORD\n1", reason},
		{"ORD\x00", reason},
		{"ORD\x7f", reason},
		{"ORD\u0085", reason}, // C1 control, NEXT LINE
	})
}

func TestNormalizeMobile(t *testing.T) {
	for in, want := range map[string]string{
		"9876543210":        "9876543210",
		" 9876543210 ":      "9876543210",
		"+91 98765 43210":   "9876543210",
		"+919876543210":     "9876543210",
		"+91-98765-43210":   "9876543210",
		"0091 98765 43210":  "9876543210",
		"919876543210":      "9876543210",
		"09876543210":       "9876543210",
		"98765-43210":       "9876543210",
		"(0) 98765 43210":   "9876543210",
		"9198765432":        "9198765432",    // already 10 digits starting 9: not a prefix
		"+91 5876543210":    "+915876543210", // 5… is no mobile: left for Mobile to refuse
		"12345":             "12345",
		"":                  "",
		"+1 (555) 010-9999": "+15550109999",
	} {
		assert.Equal(t, want, NormalizeMobile(in), "%q", in)
	}
	assert.Equal(t, "", Mobile(NormalizeMobile("+91 98765 43210")))
	assert.NotEqual(t, "", Mobile(NormalizeMobile("+91 5876543210")))
}

func TestNormalizeOthers(t *testing.T) {
	assert.Equal(t, "NTFPS6013M", NormalizePAN(" ntfps6013m "))
	assert.Equal(t, "NTFPS6013M", NormalizePAN("NTFPS6013M"))
	assert.Equal(t, "234567890124", NormalizeAadhaar("2345 6789 0124"))
	assert.Equal(t, "234567890124", NormalizeAadhaar("2345-6789-0124"))
	assert.Equal(t, "852105", NormalizeDigits(" 852 105 "))
	assert.Equal(t, "EKYC", NormalizeUpper(" eKyc "))
	assert.Equal(t, "new_pan", NormalizeLower("NEW_PAN"))
	assert.Equal(t, "a b", Trim("  a b\n"))
}

func TestURL(t *testing.T) {
	const reason = "must be an absolute http or https URL"
	runFormat(t, "URL", URL, []formatCase{
		{"https://merchant.example.com/return", ""},
		{"http://merchant.example.com", ""},
		{"https://merchant.example.com/r?x=1&y=2", ""},
		{"", reason},
		{"/return", reason},
		{"merchant.example.com/return", reason},
		{"ftp://merchant.example.com", reason},
		{"javascript:alert(1)", reason},
		{"https://", reason},
		{"https://exa mple.com", reason},
	})
}

func TestVerhoeff(t *testing.T) {
	if !Verhoeff("2363") || Verhoeff("2364") {
		t.Fatal("Verhoeff(2363) must hold and 2364 must not")
	}
	if d := VerhoeffDigit("236"); d != '3' {
		t.Fatalf("VerhoeffDigit(236) = %c, want 3", d)
	}
	for _, base := range []string{"23456789012", "98765432101", "50000000000"} {
		full := base + string(VerhoeffDigit(base))
		if !Verhoeff(full) {
			t.Fatalf("%s: generated digit does not verify", full)
		}
		for d := byte('0'); d <= '9'; d++ {
			if d != full[11] && Verhoeff(base+string(d)) {
				t.Fatalf("%s%c verifies too", base, d)
			}
		}
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// evil is text an API or a webhook sender might return to attack the
// terminal of whoever runs the command: a colour and a cursor move (ESC),
// a carriage return that hides what came before, a C1 CSI (U+009B) and
// OSC (U+009D), a right-to-left override, a line separator, DEL, and bytes
// that are not UTF-8.
const evil = "ok\x1b[31mRED\x1b[2J\rFAKE\u009b31m\u009d0;title\a\u202eevil\u2028next\x7f\xff\xfe end"

// assertInert fails when s holds anything a terminal would act on, other
// than the newlines that end lines.
func assertInert(t *testing.T, what, s string) {
	t.Helper()
	assert.True(t, utf8.ValidString(s), "%s is not UTF-8: %q", what, s)
	for _, r := range s {
		if r != '\n' && !unicode.IsPrint(r) {
			t.Errorf("%s holds %U: %q", what, r, s)
			return
		}
	}
}

func TestOneLineEscapes(t *testing.T) {
	got := oneLine(evil)
	assertInert(t, "oneLine", got)
	assert.NotContains(t, got, "\n")
	assert.Contains(t, got, `\x1b[31mRED`)
	assert.Contains(t, got, `\rFAKE`)
	assert.Contains(t, got, `\u009b31m`)
	assert.Contains(t, got, `\u202eevil`)
	assert.Contains(t, got, `\xff\xfe end`)
	for _, blank := range []rune{0x115f, 0x1160, 0x3164, 0xffa0, 0x2800, 0x180e} {
		got := oneLine("a" + string(blank) + "b")
		assert.Equal(t, fmt.Sprintf(`a\u%04xb`, blank), got, "a letter that draws nothing is escaped")
		assert.NotContains(t, string(jsonSafe([]byte(`"a`+string(blank)+`b"`))), string(blank))
	}
	for _, plain := range []string{"", "Binod Kumar", "Agra, Uttar Pradesh – 283110 ₹ é", `quote " back\slash`} {
		assert.Equal(t, plain, oneLine(plain), "printable text is kept as it is")
	}
}

func TestJSONSafe(t *testing.T) {
	b, err := json.MarshalIndent(map[string]string{"message": evil, "plain": "₹ é"}, "", "  ")
	require.NoError(t, err)
	got := jsonSafe(b)
	assertInert(t, "jsonSafe", string(got))
	var back map[string]string
	require.NoError(t, json.Unmarshal(got, &back))
	var want map[string]string
	require.NoError(t, json.Unmarshal(b, &want))
	assert.Equal(t, want, back, "the JSON means the same")
	assert.Contains(t, string(got), `\u009b31m`)
	assert.Contains(t, string(got), `"plain": "₹ é"`)
	plain := []byte("{\n  \"a\": \"b\"\n}")
	assert.Equal(t, plain, jsonSafe(plain))
}

// The command prints API failures and answers from a server that returns
// evil text: in text and JSON output, on stdout and stderr, every line is
// inert.
func TestEvilAnswersPrintInert(t *testing.T) {
	msg, _ := json.Marshal(evil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/check_status.php") && r.URL.Query().Get("fail") == "":
			_, _ = w.Write([]byte(`{"status_code":200,"status":"SUCCESS","message":"ok","data":{"owner_name":` + string(msg) +
				`,"api_balance":10,"api_status":` + string(msg) + `,"plan_name":"P","bind_ip":"1.2.3.4","your_ip":"1.2.3.4","ip_status":"MATCHED"}}`))
		default:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"status":false,"message":` + string(msg) + `}`))
		}
	}))
	defer srv.Close()
	env := map[string]string{envAPIKey: "key-0123456789", envUsername: "jojo"}
	base := []string{"-base-url", srv.URL, "-retries", "0"}
	for _, cmd := range [][]string{{"status"}, {"-json", "status"}, {"balance"}, {"-json", "balance"}, {"pan-status", "ORD1"}} {
		r := runCLI(t, env, args(base, cmd...)...)
		assertInert(t, strings.Join(cmd, " ")+" stdout", r.stdout)
		assertInert(t, strings.Join(cmd, " ")+" stderr", r.stderr)
		out := r.stdout + r.stderr
		assert.True(t, strings.Contains(out, "RED") && strings.Contains(out, "FAKE"), "%v: the text is shown, escaped: %q", cmd, out)
		if r.code != exitOK {
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "%v: one line: %q", cmd, r.stderr)
		}
	}
}

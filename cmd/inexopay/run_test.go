package main

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/secrettest"
)

// TestCleanMasksEverySpellingOfTheKey: a form answer that echoes the API
// key in each spelling the SDK's redaction knows (other case, grouped or
// spaced out, + for a space, escaped), in a field's name or value or the
// action, is refused (it would hand the key on), and the error shows none
// of them, in text or -json output.
func TestCleanMasksEverySpellingOfTheKey(t *testing.T) {
	const key = "AbCdEfGh0123456789xyZ"
	spellings := secrettest.Spellings(key)
	for _, s := range secrettest.Spellings(key) {
		spellings = append(spellings, url.QueryEscape(s))
	}
	var form strings.Builder
	for i, s := range spellings {
		n := strconv.Itoa(i)
		form.WriteString(`<input type="hidden" name="v` + n + `" value="` + html.EscapeString(s) + `">`)
		form.WriteString(`<input type="hidden" name="n` + n + `_` + html.EscapeString(s) + `" value="x">`)
	}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, `<html><body onload="document.forms[0].submit()">
<form method="POST" action="https://nsdl.example/pan/`+url.PathEscape(strings.ToLower(key))+`?session=QTOKEN&k=`+url.QueryEscape(strings.ToUpper(key))+`">
<input type="hidden" name="req" value="FIELDTOKEN">`+form.String()+`</form></body></html>`)
	}))
	t.Cleanup(api.Close)
	env := map[string]string{envAPIKey: key, envUsername: "cliuser"}
	finder := secrettest.NewFinder("the API key", key)
	leak := secrettest.LeakFinder(strings.ToLower(key), nil, nil)
	for _, cmd := range [][]string{{"pan-request", "-mobile", "9876543210", "-order", "SPELL1"}, {"pan-resume", "SPELL1"}} {
		for _, asJSON := range []bool{false, true} {
			a := append([]string{"-base-url", api.URL}, cmd...)
			if asJSON {
				a = append([]string{"-json"}, a...)
			}
			r := runCLI(t, env, append(a, "-yes")...)
			require.Equal(t, exitNetwork, r.code, r.stderr)
			out := r.stdout + r.stderr
			assert.Empty(t, finder.Find(out), "%v json=%v:\n%s", cmd, asJSON, out)
			assert.Empty(t, leak(strings.ToLower(out)), "%v json=%v", cmd, asJSON)
			assert.Contains(t, out, "API key", "the form carrying the key is refused")
		}
	}
}

// TestEveryOutputMasksTheKey: a value the CLI prints without passing it to
// clean itself (here balance's username) is masked too, in any spelling,
// on stdout, in text and -json.
func TestEveryOutputMasksTheKey(t *testing.T) {
	const key = "AbCdEfGh0123456789xyZ"
	for _, echo := range []string{strings.ToUpper(key), strings.Join(strings.Split(key, ""), " ")} {
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":true,"message":"ok","balance":"12.50","username":"`+echo+`"}`)
		}))
		env := map[string]string{envAPIKey: key, envUsername: "cliuser"}
		for _, mode := range [][]string{nil, {"-json"}} {
			r := runCLI(t, env, append(mode, "-base-url", api.URL, "balance")...)
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Contains(t, r.stdout, "12.50")
			assert.Empty(t, secrettest.NewFinder("the API key", key).Find(r.stdout+r.stderr), "%v: %s", mode, r.stdout)
		}
		api.Close()
	}
}

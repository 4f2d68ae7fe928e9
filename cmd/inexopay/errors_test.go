package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every bad flag is reported at once, by its flag name, with the values
// the command takes rather than the SDK's Go constants.
func TestValidationErrorsNameFlags(t *testing.T) {
	_, env, base := sandbox(t)
	r := runCLI(t, env, args(base, "agent-onboard", "-yes", "-shop-name", "S", "-name", "N", "-email", "bad",
		"-mobile", "123", "-dob", "1990-01-01", "-address", "A", "-state", "Bihar", "-city", "Patna",
		"-pincode", "8000", "-pan", "ABCDE1234F", "-bc-agent-id", "has space!")...)
	assert.Equal(t, exitInvalid, r.code, r.stderr)
	for _, want := range []string{"-email", "-mobile", "-pincode"} {
		assert.Contains(t, r.stderr, want)
	}
	for _, goName := range []string{"Email:", "Mobile:", "Pincode", "BCAgentID"} {
		assert.NotContains(t, r.stderr, goName)
	}

	r = runCLI(t, env, args(base, "pan-request", "-yes", "-mobile", "98765", "-mode", "video", "-type", "old")...)
	assert.Equal(t, exitInvalid, r.code, r.stderr)
	for _, want := range []string{"-mobile", "-mode", "EKYC or ESIGN", "-type", "new_pan", "correction"} {
		assert.Contains(t, r.stderr, want)
	}
	for _, goName := range []string{"PANModeEKYC", "PANTypeNew", "Mode:", "Type:"} {
		assert.NotContains(t, r.stderr, goName)
	}

	// -type new is the documented new_pan.
	r = runCLI(t, env, args(base, "pan-request", "-yes", "-mobile", "98765", "-type", "new")...)
	assert.NotContains(t, r.stderr, "-type")
}

// Under -json an error is one JSON object on stderr, with the exit code
// and each bad flag.
func TestErrorsAsJSON(t *testing.T) {
	_, env, base := sandbox(t)
	r := runCLI(t, env, args(base, "-json", "pan-request", "-yes", "-mobile", "1", "-mode", "x")...)
	assert.Equal(t, exitInvalid, r.code)
	assert.Empty(t, r.stdout)
	var got struct {
		Error struct {
			Kind     string `json:"kind"`
			Message  string `json:"message"`
			ExitCode int    `json:"exit_code"`
			Fields   []struct {
				Name   string `json:"name"`
				Reason string `json:"reason"`
			} `json:"fields"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stderr), &got), r.stderr)
	assert.Equal(t, "invalid_params", got.Error.Kind)
	assert.Equal(t, exitInvalid, got.Error.ExitCode)
	require.Len(t, got.Error.Fields, 2, r.stderr)
	assert.Equal(t, "-mobile", got.Error.Fields[0].Name)
	assert.Equal(t, "-mode", got.Error.Fields[1].Name)
	assert.Contains(t, got.Error.Message, "-mobile")

	r = runCLI(t, env, args(base, "-json", "nope")...)
	assert.Equal(t, exitUsage, r.code)
	require.NoError(t, json.Unmarshal([]byte(r.stderr), &got), r.stderr)
	assert.Equal(t, "usage", got.Error.Kind)
	assert.Contains(t, got.Error.Message, "unknown command")
}

// A duration without a unit and an amount with fractions of a paisa say
// what is expected and why.
func TestDurationAndAmountErrorsExplain(t *testing.T) {
	_, env, base := sandbox(t)
	r := runCLI(t, env, args(base, "-timeout", "5", "balance")...)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "-timeout")
	assert.Contains(t, r.stderr, "unit")
	assert.Contains(t, r.stderr, "5s")
	assert.NotContains(t, r.stderr, "parse error")

	r = runCLI(t, env, args(base, "balance", "-timeout", "soon")...)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "such as 30s")

	r = runCLI(t, env, args(base, "wallet-qr", "-yes", "100.555")...)
	assert.Equal(t, exitInvalid, r.code)
	assert.Contains(t, r.stderr, "fractions of a paisa")
	assert.Contains(t, r.stderr, "2 decimals")

	for _, bad := range []string{"abc", "-5", "0"} {
		r = runCLI(t, env, args(base, "wallet-qr", "-yes", "--", bad)...)
		assert.Equal(t, exitInvalid, r.code, bad)
		assert.Contains(t, r.stderr, "AMOUNT", bad)
		assert.True(t, strings.Contains(r.stderr, "such as 100 or 250.50"), r.stderr)
	}
}

// Under -json a charging command's refusal or unknown outcome is one JSON
// object on stderr, nothing before it, and it carries the order id so a
// script can reconcile.
func TestChargingErrorAsOneJSONObjectWithOrderID(t *testing.T) {
	env := map[string]string{envAPIKey: "secret-key-0123456789abcdef", envUsername: "jojo"}
	for _, status := range []int{http.StatusPaymentRequired, http.StatusInternalServerError} {
		api := echoServer(t, status, false)
		r := runCLI(t, env, "-base-url", api.URL, "-retries", "0", "-json",
			"pan-request", "-order", "MYPAN7", "-mobile", "9876543210", "-yes")
		require.NotEqual(t, exitOK, r.code)
		var got struct {
			Error struct {
				OrderID  string `json:"order_id"`
				ExitCode int    `json:"exit_code"`
			} `json:"error"`
		}
		dec := json.NewDecoder(strings.NewReader(r.stderr))
		require.NoError(t, dec.Decode(&got), r.stderr)
		assert.False(t, dec.More(), "stderr holds one JSON object: %q", r.stderr)
		assert.Equal(t, "MYPAN7", got.Error.OrderID)
		assert.Equal(t, r.code, got.Error.ExitCode)
	}
}

// The CLI's own quotes and its hint line print as themselves; only what the
// network sent is escaped.
func TestOutcomeUnknownPrintsOwnTextAsIs(t *testing.T) {
	env := map[string]string{envAPIKey: "secret-key-0123456789abcdef", envUsername: "jojo"}
	api := echoServer(t, http.StatusInternalServerError, false)
	r := runCLI(t, env, "-base-url", api.URL, "-retries", "0",
		"pan-request", "-order", "MYPAN8", "-mobile", "9876543210", "-yes")
	require.Equal(t, exitNetwork, r.code, r.stderr)
	assert.NotContains(t, r.stderr, `\"`, "no escaped quotes of the CLI's own")
	assert.NotContains(t, r.stderr, `\n`, "the hint is on a line of its own")
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	require.Len(t, lines, 2, r.stderr)
	assert.Contains(t, lines[1], "inexopay pan-status MYPAN8")

	r = runCLI(t, env, "-base-url", api.URL, "-retries", "0", "-json",
		"pan-request", "-order", "MYPAN8", "-mobile", "9876543210", "-yes")
	var got struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stderr), &got), r.stderr)
	assert.NotContains(t, got.Error.Message, `\"`)
	assert.Contains(t, got.Error.Message, "refused\nThe application may", "a real newline before the hint")
}

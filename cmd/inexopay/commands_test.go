package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPANStatusPrintsDataAndConflicts: when the two levels of a PAN status
// answer disagree on the mobile and the amount, pan-status prints the data
// level beside the top level and names the conflicts, in text (mobile
// masked) and with -json (the data level in full).
func TestPANStatusPrintsDataAndConflicts(t *testing.T) {
	const answer = `{"status_code":200,"status":"SUCCESS","message":"Status fetched from portal","order_id":"ORDCONF1",
		"reference":"OPB5020WJ7TM","number":"9876543210","amount":107.00,"date_time":"2025-01-15 10:30:00",
		"data":{"status":"Success","orderid":"ORDCONF1","txid":"484340","amount":110,"opid":"OPB5020WJ7TM",
		"number":"9123456780","created_at":"2026-05-04 18:23:40","updated_at":"2026-05-04 18:23:40"}}`
	env, base := answeringAPI(t, answer)

	r := runCLI(t, env, args(base, "pan-status", "ORDCONF1")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Mobile:      XXXXXX3210\n")
	assert.Contains(t, r.stdout, "Fee:         107.00 INR\n")
	assert.Contains(t, r.stdout, "Data mobile: XXXXXX6780\n")
	assert.Contains(t, r.stdout, "Data fee:    110.00 INR\n")
	assert.Contains(t, r.stdout, "Conflicts:   number, amount")
	assert.NotContains(t, r.stdout, "9123456780", "human output masks the data-level mobile")

	r = runCLI(t, env, args(base, "-json", "pan-status", "ORDCONF1")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	var got struct {
		Mobile string  `json:"mobile"`
		Amount float64 `json:"amount"`
		Data   *struct {
			OrderID string  `json:"order_id"`
			Mobile  string  `json:"mobile"`
			Amount  float64 `json:"amount"`
		} `json:"data"`
		Conflicts []string `json:"conflicts"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), r.stdout)
	assert.Equal(t, "9876543210", got.Mobile)
	assert.Equal(t, 107.0, got.Amount)
	require.NotNil(t, got.Data, r.stdout)
	assert.Equal(t, "ORDCONF1", got.Data.OrderID)
	assert.Equal(t, "9123456780", got.Data.Mobile)
	assert.Equal(t, 110.0, got.Data.Amount)
	assert.Equal(t, []string{"number", "amount"}, got.Conflicts)
}

// TestPANStatusAgreeingLevels: when both levels agree, the text output has
// no data-level lines and no conflicts; -json still carries the data level
// and no "conflicts" member.
func TestPANStatusAgreeingLevels(t *testing.T) {
	const answer = `{"status_code":200,"status":"SUCCESS","message":"Status fetched from portal","order_id":"ORDSAME1",
		"reference":"OPB5020WJ7TM","number":"9876543210","amount":107.00,"date_time":"2025-01-15 10:30:00",
		"data":{"status":"Success","orderid":"ORDSAME1","txid":"484340","amount":107,"opid":"OPB5020WJ7TM",
		"number":"9876543210","created_at":"2026-05-04 18:23:40","updated_at":"2026-05-04 18:23:40"}}`
	env, base := answeringAPI(t, answer)

	r := runCLI(t, env, args(base, "pan-status", "ORDSAME1")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "Data ")
	assert.NotContains(t, r.stdout, "Conflicts")

	r = runCLI(t, env, args(base, "-json", "pan-status", "ORDSAME1")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), r.stdout)
	assert.Equal(t, map[string]any{"order_id": "ORDSAME1", "mobile": "9876543210", "amount": 107.0}, got["data"])
	assert.NotContains(t, got, "conflicts")
}

// answeringAPI starts an API that gives every request answer, and returns
// the CLI's environment and the flags that point it there.
func answeringAPI(t *testing.T, answer string) (map[string]string, []string) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(api.Close)
	return map[string]string{envAPIKey: "cli_key_0123456789", envUsername: "cliuser"}, []string{"-base-url", api.URL, "-retries", "0"}
}

package wire

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAnswersDecodeDocumentedShapes decodes two documented answers straight
// into the wire types, without the client.
func TestAnswersDecodeDocumentedShapes(t *testing.T) {
	var ps PANStatus
	require.NoError(t, json.Unmarshal([]byte(`{"status_code":200,"status":"SUCCESS","order_id":"ORD12345","amount":107.00,
		"date_time":"2025-01-15 10:30:00","data":{"status":"Success","txid":"484340","amount":107,"created_at":"2026-05-04 18:23:40"}}`), &ps))
	assert.False(t, ps.Status.Set, "the envelope is read by exact member names, not by the struct decode")
	assert.Equal(t, OptPaise{Val: 10700, Set: true}, ps.Amount)
	assert.Equal(t, OptPaise{Val: 10700, Set: true}, ps.Data.Amount)
	assert.Equal(t, State("Success"), ps.Data.Status)
	assert.True(t, time.Date(2025, 1, 15, 5, 0, 0, 0, time.UTC).Equal(time.Time(ps.DateTime)))

	var ba BankAccount
	require.NoError(t, json.Unmarshal([]byte(`{"id":"34","account_type":2,"middle_name":null,"is_completed":1,
		"is_refunded":"0","status":1,"date":"2026-05-04T10:00:00.000000Z"}`), &ba))
	assert.Equal(t, LaxInt(34), ba.ID)
	assert.Equal(t, LaxInt(2), ba.AccountType)
	assert.Equal(t, Text(""), ba.MiddleName)
	assert.Equal(t, Bool(true), ba.Completed)
	assert.Equal(t, Bool(false), ba.Refunded)
}

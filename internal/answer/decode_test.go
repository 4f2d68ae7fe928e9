package answer

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	generateQR     endpoints.Name = "Wallet.GenerateQR"
	accountBalance endpoints.Name = "Account.Balance"
)

// documented returns the documented success answer of the testdata
// directory dir (the root package's recorded answers) as a JSON object.
func documented(t *testing.T, dir string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "responses", dir, "success.json"))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

func marshal(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

func TestAnswerCodeWithExponent(t *testing.T) {
	ok := documented(t, "wallet_generate_qr")
	delete(ok, "status_code")
	rest := string(marshal(t, ok)[1:])
	resp := func() *http.Response { return &http.Response{StatusCode: 200, Header: http.Header{}} }
	for _, code := range []string{"2e2", "2.00e2", "0e0", "0E+1"} {
		body := `{"status_code":` + code + `,` + rest
		assert.Nil(t, Decode(generateQR, resp(), []byte(body), new(wire.WalletQR), ""), body)
	}
	// An integral code with an exponent is that code: 4.02e2 is 402.
	ae := Decode(generateQR, resp(), []byte(`{"status":"FAILED","status_code":4.02e2,"message":"Insufficient balance"}`), new(wire.WalletQR), "")
	require.NotNil(t, ae)
	assert.False(t, apierr.Unusable(ae), "a well-formed refusal")
	assert.Equal(t, 402, ae.Code)
	// A code that is not a whole number says nothing for sure.
	for _, body := range []string{
		`{"status":"FAILED","status_code":4.021e2,"message":"x"}`,
		`{"status":"FAILED","error_code":2e-1,"message":"x"}`,
		`{"status_code":200.5,` + rest,
	} {
		ae := Decode(generateQR, resp(), []byte(body), new(wire.WalletQR), "")
		require.NotNil(t, ae, body)
		assert.True(t, apierr.Unusable(ae), body)
		assert.ErrorIs(t, ae, apierr.ErrServer, body)
		assert.NotContains(t, ae.Message, "not valid JSON", body)
	}
}

func TestDecideIgnoresTheBOMAndContentType(t *testing.T) {
	body := append([]byte("\xef\xbb\xbf"), marshal(t, documented(t, "account_balance"))...)
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/html"}}}
	assert.Nil(t, Decode(accountBalance, resp, bytes.Clone(body), new(wire.Balance), ""))
}

package call

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reading an answer allocates nothing beyond its decoding: the buffer is
// pooled and the size limit lives in the call.
func TestReadAnswerAllocatesOnlyTheDecode(t *testing.T) {
	if raceOn {
		t.Skip("allocation counts vary under the race detector")
	}
	body := []byte(`{"status":"SUCCESS","error_code":200,"message":"Balance fetched","balance":1250.50,"username":"MERCHANT"}`)
	rd := bytes.NewReader(body)
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(rd)}
	cl := &call{e: endpoints.AccountBalance, maxBody: 1 << 20, out: new(wire.Balance)}
	require.NoError(t, cl.readAnswer(resp))
	read := testing.AllocsPerRun(50, func() {
		rd.Reset(body)
		_ = cl.readAnswer(resp)
	})
	out := new(wire.Balance)
	decode := testing.AllocsPerRun(50, func() {
		*out = wire.Balance{}
		_ = answer.Decode(endpoints.AccountBalance, resp, body, out, wire.Asked{}, nil)
	})
	assert.Equal(t, decode, read)
}

package call

import (
	"bytes"
	"io"
	"net/http"
	"sync"
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
	if poolDrops() {
		t.Skip("sync.Pool drops items here (the race detector does so at random): pooled reads allocate")
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

// poolDrops reports whether a sync.Pool loses what is put in it, as it does
// at random under the race detector.
func poolDrops() bool {
	p := sync.Pool{New: func() any { return new([64]byte) }}
	return testing.AllocsPerRun(1, func() {
		for range 100 {
			p.Put(p.Get())
		}
	}) > 0
}

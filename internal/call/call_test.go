package call

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixedAnswer answers every request with one body, reading (and closing)
// the request's body as a transport does.
type fixedAnswer struct {
	body []byte
	rd   bytes.Reader
	resp http.Response
}

func (f *fixedAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	f.rd.Reset(f.body)
	f.resp = http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(&f.rd)}
	return &f.resp, nil
}

// A read-only call allocates, besides the decoding of its answer and the
// transport's response (2), its own state, one copy of the request for its
// context, the body's closer and net/http Client's own work (its copy of
// the headers and of the URL: 6): the URL is parsed once per Sender, and
// neither the retry layer's request wrapper nor its body readers are made
// per call (18 before).
func TestSendAllocatesLittleBesidesTheDecode(t *testing.T) {
	if poolDrops() {
		t.Skip("allocation counts vary under the race detector")
	}
	body := []byte(`{"status":"SUCCESS","error_code":200,"message":"Balance fetched","balance":1250.50,"username":"MERCHANT"}`)
	s := NewSender(Config{Transport: &fixedAnswer{body: body}, MaxBody: 1 << 20})
	header := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"application/json"}}
	out := new(wire.Balance)
	r := Request{Endpoint: endpoints.AccountBalance, URL: "https://api.invalid/balance", Header: header,
		Body: []byte("api_key=k&username=u"), Out: out}
	ctx := context.Background()
	_, err := s.Do(ctx, r)
	require.NoError(t, err)
	do := testing.AllocsPerRun(50, func() {
		*out = wire.Balance{}
		_, _ = s.Do(ctx, r)
	})
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}}
	decode := testing.AllocsPerRun(50, func() {
		*out = wire.Balance{}
		_ = answer.Decode(endpoints.AccountBalance, resp, body, out, wire.Asked{}, nil)
	})
	assert.LessOrEqual(t, do-decode, 11.0, "call %v, decode %v", do, decode)
}

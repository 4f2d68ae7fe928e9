package inexopay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inexopay/inexopay-go/internal/testkit"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// h2Request is what the HTTP/2 echo server read: the headers and the body.
type h2Request struct {
	header http.Header
	body   []byte
}

// newH2EchoServer starts an HTTP/2 server (testkit.H2Server) that reads a
// whole request, answers with what answer writes for it (frames that carry
// the request's secrets back: GOAWAY debug data, headers that echo them),
// and closes the connection.
func newH2EchoServer(t *testing.T, answer func(fr *http2.Framer, streamID uint32, req h2Request)) *testkit.H2Server {
	return testkit.StartH2(t, &testkit.H2Server{Deadline: 5 * time.Second,
		OnRequest: func(fr *http2.Framer, st *testkit.H2Stream) bool {
			answer(fr, st.ID, h2Request{header: st.Header, body: st.Body})
			return false
		}})
}

// Over HTTP/2, a server can put text in frames that Go's transport copies
// into its errors: GOAWAY debug data, and header values it refuses. Echoed
// secrets there must be masked like anywhere else.
func TestLeakAttackHTTP2Frames(t *testing.T) {
	leak := atkLeakFinder(atkAPIKey, []string{relAadhaar, relOTP}, []string{relAgentPAN, relCustomerPAN})
	echo := func(req h2Request, sp atkSpelling) string {
		form, _ := url.ParseQuery(string(req.body))
		r := &http.Request{Header: http.Header{"X-Api-Key": req.header.Values("X-Api-Key")}}
		return atkEcho(sp, r, form)
	}
	attacks := []struct {
		name   string
		answer func(fr *http2.Framer, stream uint32, req h2Request, sp atkSpelling)
	}{
		{"GOAWAY debug data", func(fr *http2.Framer, stream uint32, req h2Request, sp atkSpelling) {
			_ = fr.WriteGoAway(stream, http2.ErrCodeProtocol, []byte(echo(req, sp)))
		}},
		{"GOAWAY debug data, body echoed raw", func(fr *http2.Framer, stream uint32, req h2Request, _ atkSpelling) {
			_ = fr.WriteGoAway(stream, http2.ErrCodeInternal, req.body)
		}},
		{"invalid header value", func(fr *http2.Framer, stream uint32, req h2Request, sp atkSpelling) {
			testkit.WriteH2Headers(fr, stream, true, hpack.HeaderField{Name: ":status", Value: "200"},
				hpack.HeaderField{Name: "x-echo", Value: echo(req, sp) + "\x01"})
		}},
	}
	logs := &relSyncBuffer{}
	for _, atk := range attacks {
		for _, sp := range atkSpellings {
			for authName, auth := range map[string]Authenticator{"body": BodyAuth(atkAPIKey, relUsername), "header": HeaderAuth(atkAPIKey, relUsername)} {
				srv := newH2EchoServer(t, func(fr *http2.Framer, stream uint32, req h2Request) { atk.answer(fr, stream, req, sp) })
				hc := srv.Client()
				c, err := NewClient(auth, WithBaseURL(srv.URL()), WithHTTPClient(hc),
					WithLogger(relDebugLogger(logs)), WithRetry(1, time.Millisecond, time.Millisecond))
				require.NoError(t, err)
				for _, rc := range relCalls() {
					where := fmt.Sprintf("%s, %s, %s auth, %s", atk.name, sp.name, authName, rc.e)
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					_, err := rc.call(ctx, c)
					cancel()
					require.Error(t, err, where)
					require.False(t, errors.Is(err, context.DeadlineExceeded), "%s: %v", where, err)
					for i, e := range errorChain(err) {
						for _, s := range append(fmtAll(e), e.Error()) {
							if what := leak(s); what != "" {
								t.Errorf("%s: error %d (%T) holds %s: %s", where, i, e, what, s)
							}
						}
					}
				}
				hc.CloseIdleConnections()
				srv.Close()
			}
		}
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if what := leak(line); what != "" {
			t.Errorf("log line holds %s: %s", what, line)
		}
	}
}

package call

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sync"

	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/apierr"
	"github.com/inexopay/inexopay-go/internal/redact"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// readAnswer reads one answer with the size limit, closes its body, and
// decodes it into cl.out. It returns nil on success, an [*APIError] for what
// the API reported (or for an answer too large or not JSON), or a
// *redact.ReadError when the reading was cut short.
func (cl *call) readAnswer(resp *http.Response) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 64<<10 {
			bufPool.Put(buf)
		}
	}()
	// Reading to EOF lets the connection be reused; an answer over the limit
	// is not drained, so its connection is closed.
	cl.limit = io.LimitedReader{R: resp.Body, N: cl.maxBody + 1}
	n, rerr := buf.ReadFrom(&cl.limit)
	cl.limit.R = nil
	_ = resp.Body.Close()
	if cl.keepBody {
		cl.raw = bytes.Clone(buf.Bytes()[:min(n, cl.maxBody)])
	}
	if rerr != nil {
		return redact.NewReadError(fmt.Errorf("inexopay: %s: reading answer: %w", cl.e, rerr))
	}
	if n > cl.maxBody {
		return apierr.MarkServer(&apierr.APIError{HTTPStatus: resp.StatusCode, Code: resp.StatusCode, Endpoint: cl.e,
			Message: fmt.Sprintf("answer larger than %d bytes", cl.maxBody)}, true, true)
	}
	if cl.decoded {
		// An earlier attempt decoded into out: start from zero again.
		reflect.ValueOf(cl.out).Elem().SetZero()
	}
	cl.decoded = true
	if apiErr := answer.Decode(cl.e, resp, buf.Bytes(), cl.out, cl.asked,
		cl.keys, cl.apiBases...); apiErr != nil {
		return apiErr
	}
	cl.clean = cl.secrets.AbsentFrom(buf.Bytes())
	return nil
}

// sendBody is the request body of one attempt. It can be read once, is
// never rewound, and records whether the transport read any of it.
type sendBody struct {
	mu     sync.Mutex
	data   []byte
	off    int
	read   bool
	sealed bool
}

// Read implements io.Reader; after sealUnread it fails.
func (b *sendBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sealed {
		return 0, ErrAttemptOver
	}
	if b.off >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	b.read = b.read || n > 0
	return n, nil
}

// Close implements io.Closer; the data stays for the SDK.
func (b *sendBody) Close() error { return nil }

// Len reports the unread length, so that the request gets a Content-Length.
func (b *sendBody) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.data) - b.off
}

// sealUnread ends the attempt: every later Read fails. It reports whether
// no byte was ever read.
func (b *sendBody) sealUnread() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sealed = true
	return !b.read
}

// StopRedirects refuses every redirect: following one would post the
// credentials (and a charging form) again, possibly to another host or over
// plain http.
func StopRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// keepLastError makes the retry layer return the last error as it is (not
// "giving up after N attempts"); the call's answer, if any, is in the call.
func keepLastError(resp *http.Response, err error, _ int) (*http.Response, error) {
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		return nil, err
	}
	return resp, nil
}

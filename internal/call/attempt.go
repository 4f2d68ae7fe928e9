package call

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/inexopay/inexopay-go/internal/answer"
	"github.com/inexopay/inexopay-go/internal/endpoints"
	"github.com/inexopay/inexopay-go/internal/redact"
	"github.com/inexopay/inexopay-go/internal/wire"
)

// call is one API call in flight. do creates it with everything known
// before the first attempt; after that each group of fields has one
// writer:
//
//   - attempt (one attempt: send, then read and decode the answer) writes
//     the attempt fields, and hands its retry decision to the retry policy
//     in what it returns (the response's body mark or a *retryableError);
//   - checkRetry (the retry policy) reads only that decision;
//   - do reads the attempt fields once the retry loop has returned.
//
// Attempts run one after another on the caller's goroutine (net/http's
// Client calls RoundTrip synchronously), so no field is written
// concurrently. A call is not reused.
//
// Every call of a Client shares the Client's one retryablehttp.Client and
// http.Client; the call travels down to its attempts as the request's
// context (callCtx), and nothing is read back from that context: the
// decisions come back up in the attempt's response or error, the outcome
// in the call that do holds. The retry layer never sees the connection pool
// (so its CloseIdleConnections after a failure closes nothing, and a shared
// transport is left alone), and every request that reaches the real
// transport passes through attempt, where the SDK decides about it.
type call struct {
	// Set by do before the first attempt.
	caller     context.Context // the caller's context
	ctx        callCtx
	e          endpoints.Name
	charging   bool
	asked      wire.Asked // what the call names, checked against the answer
	next       http.RoundTripper
	maxBody    int64
	timeout    time.Duration // bounds each attempt; 0: no bound
	maxRetries int
	out        wire.Headed
	observe    func(context.Context, Attempt)
	// observeStart is called before each attempt (Request.ObserveStart).
	observeStart func(ctx context.Context, attempt int, header http.Header) (context.Context, http.Header)
	keepBody     bool       // the caller asked for the raw answer (WithResponseInfo)
	apiBases     []string   // where no hand-off URL of the answer may point (Request.APIBases)
	keys         redact.Set // what no hand-off URL of the answer may carry (Request.Keys)
	secrets      redact.Set // the call's secrets (Request.Secrets)
	// traced says the call charges and its transport is net/http's: its
	// body is a *bytes.Reader (sent in one write with the headers), and the
	// proof that an attempt sent nothing is that no connection was handed
	// the request (gotConn, set by the trace's GotConn) and no byte of the
	// body was read.
	traced  bool
	trace   httptrace.ClientTrace
	gotConn atomic.Bool
	data    []byte
	body    bytes.Reader // every attempt's body when traced, the first one's when read-only
	// url and req are the call's request (Sender.send).
	url url.URL
	req retryablehttp.Request
	// limit bounds the answer readAnswer reads (kept here, not allocated
	// per answer).
	limit io.LimitedReader

	// Written by attempt, for the latest attempt unless said otherwise.
	attempts int
	// sent is set once any attempt may have reached the API: it got an
	// answer, or it may have written any of the request.
	sent bool
	// unsent is set when the latest attempt failed and provably left
	// nothing on the network, and now never will.
	unsent bool
	// answered says the latest attempt's answer was read (status, header,
	// raw); answerErr is what decoding it found (nil: out holds it).
	answered  bool
	status    int
	header    http.Header
	raw       []byte
	answerErr error
	// clean says the answer, decoded into out, can hold no secret of the
	// call (Result.Clean).
	clean bool
	// decoded says out was decoded into by an earlier attempt.
	decoded bool
}

// callCtx is the context of a call's request: the caller's context (with
// the call's connection trace, when traced), through which attempter finds
// the call.
type callCtx struct {
	context.Context
	cl *call
}

type callKey struct{}

// Value returns the call for callKey, else the caller's context's value.
func (c *callCtx) Value(key any) any {
	if key == (callKey{}) {
		return c.cl
	}
	return c.Context.Value(key)
}

// ErrAttemptOver is what a transport reads from the body of an attempt the
// SDK has already given up on.
var ErrAttemptOver = errors.New("inexopay: request body read after its attempt ended")

// errNoResponse is reported when a RoundTripper returns neither a response
// nor an error.
var errNoResponse = errors.New("inexopay: transport returned no response and no error")

// errNoCall is reported by attempter for a request that is not a call's.
var errNoCall = errors.New("inexopay: request without its call")

// attempter is the Transport of a Client's http.Client: it hands each
// attempt to the call whose context the request carries.
type attempter struct{}

// RoundTrip makes one attempt of the request's call.
func (attempter) RoundTrip(req *http.Request) (*http.Response, error) {
	cl, _ := req.Context().Value(callKey{}).(*call)
	if cl == nil {
		return nil, errNoCall
	}
	return cl.attempt(req)
}

// attemptBody gives req, the request of the call's latest attempt, its
// body (never rewound by net/http: the request has no GetBody).
//
// A read-only call needs no proof that an attempt was unsent (it is
// retried either way): its body is the form itself, in a *bytes.Reader (the
// call's own for the first attempt, a new one for each later attempt, which
// a transport goroutine of the one before may still hold), which net/http
// writes in one go with the headers. A traced charging call's body (see
// call) is the call's own *bytes.Reader, reset for each attempt: an attempt
// is retried only when no connection was handed it, so no transport
// goroutine can still hold the reader. A charging call on a transport the
// SDK does not know gets a sendBody: it records whether the transport read
// a byte (the proof that an attempt was never sent) and can be sealed;
// net/http flushes the headers before such a body, so that request leaves
// in two writes. It returns the sendBody, if any.
func (cl *call) attemptBody(req *http.Request) *sendBody {
	req.ContentLength = int64(len(cl.data))
	switch {
	case cl.charging && !cl.traced:
		b := &sendBody{data: cl.data}
		req.Body = b
		return b
	case cl.traced || cl.attempts == 1:
		cl.body.Reset(cl.data)
		req.Body = io.NopCloser(&cl.body)
	default:
		req.Body = io.NopCloser(bytes.NewReader(cl.data))
	}
	return nil
}

// gotConnHook is the GotConn of a traced call's trace. net/http calls it on
// the caller's goroutine, for HTTP/1 in Transport.getConn before the
// connection's write loop gets the request, and for HTTP/2 just before the
// stream is opened on the connection: until it has fired, no connection
// holds the request.
func (cl *call) gotConnHook(httptrace.GotConnInfo) { cl.gotConn.Store(true) }

// retryableError is a failed attempt the call's retry policy allows to
// repeat; the call unwraps it before the error reaches the caller.
type retryableError struct{ err error }

func (e *retryableError) Error() string { return e.err.Error() }
func (e *retryableError) Unwrap() error { return e.err }

// answerMark is the body of an attempt's response once the answer was read:
// it reads as empty and says whether the call's policy allows a retry.
type answerMark struct{ retry bool }

var (
	retryAnswer = &answerMark{retry: true}
	finalAnswer = &answerMark{retry: false}
)

func (*answerMark) Read([]byte) (int, error) { return 0, io.EOF }
func (*answerMark) Close() error             { return nil }

// mayRetry reports whether the retry limit of the call allows another
// attempt after the latest.
func (cl *call) mayRetry() bool { return cl.attempts <= cl.maxRetries }

// failure returns the error of a failed attempt, marked retryable when
// the call's policy allows: read-only calls after any failure a retry may
// cure, charging calls only when the attempt provably sent nothing.
func (cl *call) failure(err error) error {
	if cl.mayRetry() && !permanentTransportError(err) && (!cl.charging || cl.unsent) {
		return &retryableError{err: err}
	}
	return err
}

// answerMark returns the body mark of an attempt whose answer was read:
// read-only calls are retried after an answer a second try may cure (a
// 429, a 5xx, a page that is not JSON, an answer cut short); charging calls
// never are.
func (cl *call) answerMark() io.ReadCloser {
	if !cl.charging && cl.mayRetry() && answer.IsTemporary(cl.answerErr) {
		return retryAnswer
	}
	return finalAnswer
}

// attempt makes one attempt: it sends req on the real transport and reads
// and decodes the answer, recording the outcome in cl. The response it
// returns has an empty body (the answer was read already) that carries the
// retry decision; a failure it returns is a *retryableError when the call
// may be retried.
//
// The request carries no GetBody (and a charging call's body can be read
// only once), so the transport cannot send it again by itself (net/http
// replays requests with GetBody on HTTP/2 stream resets, GOAWAY and, with an
// Idempotency-Key header, on stale HTTP/1.1 connections): every send is one
// the retry policy decided.
func (cl *call) attempt(req *http.Request) (*http.Response, error) {
	cl.attempts++
	cl.unsent, cl.answered, cl.status, cl.header, cl.raw, cl.answerErr, cl.clean = false, false, 0, nil, nil, nil, false
	cl.gotConn.Store(false)
	start := time.Now()
	body := cl.attemptBody(req)
	// The observer gets the caller's context, not the call's own (which
	// carries the call and its connection trace), or the one its
	// AttemptStart returned for this attempt.
	obsCtx := cl.caller
	if cl.observeStart != nil {
		req, obsCtx = cl.startAttempt(req)
	}
	ctx := req.Context()
	if cl.timeout > 0 {
		// The attempt, reading the answer included, is bounded here rather
		// than by http.Client, which would start a goroutine per request
		// for a transport it does not know.
		actx, cancel := context.WithTimeout(ctx, cl.timeout)
		defer cancel()
		req = req.WithContext(actx)
	}
	resp, err := cl.next.RoundTrip(req)
	if err == nil && resp == nil {
		err = errNoResponse
	}
	if err != nil {
		if ctx.Err() == nil && req.Context().Err() != nil {
			err = &attemptTimeoutError{d: cl.timeout, err: err}
		}
		// Only an attempt that provably wrote nothing cannot have been
		// acted on: the call's parameters (order, amount, PAN…) travel in
		// the body.
		switch {
		case cl.traced:
			// No connection was handed the request (so none will send it
			// later), and no byte of the body was read.
			cl.unsent = !cl.gotConn.Load() && cl.body.Len() == len(cl.data)
		case body != nil:
			// No byte was read; sealing the body stops a transport
			// goroutine that is still running from reading it later.
			cl.unsent = body.sealUnread()
		}
		cl.sent = cl.sent || !cl.unsent
		cl.report(obsCtx, start, err)
		return nil, cl.failure(err)
	}
	if resp.Body == nil {
		// net/http's Client accepts a nil body from a RoundTripper and
		// reads it as empty; so does the SDK.
		resp.Body = http.NoBody
	}
	cl.sent = true
	cl.answered = true
	cl.status, cl.header = resp.StatusCode, resp.Header
	cl.answerErr = cl.readAnswer(resp)
	resp.Body = cl.answerMark()
	cl.report(obsCtx, start, nil)
	return resp, nil
}

// attemptTimeoutError is an attempt that exceeded the http.Client Timeout.
type attemptTimeoutError struct {
	d   time.Duration
	err error
}

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("attempt timed out after %s (http.Client Timeout): %v", e.d, e.err)
}
func (e *attemptTimeoutError) Unwrap() error { return e.err }
func (e *attemptTimeoutError) Timeout() bool { return true }

// startAttempt tells the observer an attempt starts, and returns req with
// the context and the headers it gave for this attempt, and the context
// for the attempt's end (the one it returned, else the caller's).
func (cl *call) startAttempt(req *http.Request) (*http.Request, context.Context) {
	ctx, obsCtx := req.Context(), cl.caller
	next, header := cl.observeStart(ctx, cl.attempts, req.Header)
	if next != nil {
		ctx, obsCtx = next, next
	}
	req = req.WithContext(ctx)
	if header != nil {
		req.Header = header
	}
	return req, obsCtx
}

// report tells the observer, if any, how an attempt ended.
func (cl *call) report(ctx context.Context, start time.Time, transportErr error) {
	if cl.observe == nil {
		return
	}
	err := transportErr
	if err == nil {
		err = cl.answerErr
	}
	cl.observe(ctx, Attempt{Number: cl.attempts, HTTPStatus: cl.status, Duration: time.Since(start), Err: err})
}

package inexopay

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// Observer receives call and attempt events for metrics; see [WithObserver].
type Observer struct {
	CallStart    func(ctx context.Context, c CallStartInfo) context.Context                   // may return a derived ctx (nil keeps ctx)
	AttemptStart func(ctx context.Context, a AttemptStartInfo, h http.Header) context.Context // may also add headers to h for that try
	Attempt      func(ctx context.Context, a AttemptInfo)
	Call         func(ctx context.Context, c CallInfo)
}

// CallStartInfo describes a call as it starts, for [Observer].
type CallStartInfo struct {
	Endpoint      Endpoint
	Charging      bool
	ServerAddress string
	ServerPort    int
}

// AttemptStartInfo describes a try as it starts, for [Observer].
type AttemptStartInfo struct {
	Endpoint Endpoint
	Attempt  int
}

// Outcome says how a call ended for [CallInfo], fit to label a metric.
type Outcome string

// The outcomes of a call.
const (
	OutcomeSuccess Outcome = "success" // no error
	OutcomeRefused Outcome = "refused" // failed without effect, or read-only
	OutcomeUnknown Outcome = "unknown" // a charging call may have been carried out
)

// AttemptInfo describes one finished try, for [Observer]. See docs/outcomes.md.
type AttemptInfo struct {
	Endpoint   Endpoint
	Attempt    int
	HTTPStatus int
	Duration   time.Duration
	Class      string
}

// CallInfo describes one finished call, for [Observer].
type CallInfo struct {
	Endpoint       Endpoint
	Charging       bool
	Attempts       int
	HTTPStatus     int
	Duration       time.Duration
	Class          string
	OutcomeUnknown bool
	Outcome        Outcome
}

// joinObservers returns an Observer that calls a's hooks, then b's.
func joinObservers(a, b Observer) Observer {
	if a.empty() {
		return b
	}
	if b.empty() {
		return a
	}
	return Observer{
		CallStart: func(ctx context.Context, c CallStartInfo) context.Context {
			return startHook(startHook(ctx, a.CallStart, c), b.CallStart, c)
		},
		AttemptStart: func(ctx context.Context, at AttemptStartInfo, h http.Header) context.Context {
			if a.AttemptStart != nil {
				if next := a.AttemptStart(ctx, at, h); next != nil {
					ctx = next
				}
			}
			if b.AttemptStart != nil {
				if next := b.AttemptStart(ctx, at, h); next != nil {
					ctx = next
				}
			}
			return ctx
		},
		Attempt: func(ctx context.Context, at AttemptInfo) {
			if a.Attempt != nil {
				a.Attempt(ctx, at)
			}
			if b.Attempt != nil {
				b.Attempt(ctx, at)
			}
		},
		Call: func(ctx context.Context, c CallInfo) {
			if a.Call != nil {
				a.Call(ctx, c)
			}
			if b.Call != nil {
				b.Call(ctx, c)
			}
		},
	}
}

// empty reports whether o has no hook.
func (o *Observer) empty() bool {
	return o.CallStart == nil && o.AttemptStart == nil && o.Attempt == nil && o.Call == nil
}

// startHook calls hook, if any, and returns the context it returns, or ctx when it is nil.
func startHook[T any](ctx context.Context, hook func(context.Context, T) context.Context, info T) context.Context {
	if hook == nil {
		return ctx
	}
	if next := hook(ctx, info); next != nil {
		return next
	}
	return ctx
}

// outcomeOf returns the Outcome of a call that returned err.
func outcomeOf(err error) Outcome {
	switch {
	case err == nil:
		return OutcomeSuccess
	case errors.Is(err, ErrOutcomeUnknown):
		return OutcomeUnknown
	}
	return OutcomeRefused
}

// attemptHeaders adds to dst the headers an AttemptStart hook put in added that dst lacks, and that
// are valid and not reserved for the SDK.
func attemptHeaders(dst, added http.Header) {
	for k, vs := range added {
		if !httpguts.ValidHeaderFieldName(k) {
			continue
		}
		ck := http.CanonicalHeaderKey(k)
		if _, ok := dst[ck]; ok || reservedHeader(ck) {
			continue
		}
		var keep []string
		for _, v := range vs {
			if httpguts.ValidHeaderFieldValue(v) {
				keep = append(keep, v)
			}
		}
		if len(keep) > 0 {
			dst[ck] = keep
		}
	}
}

// reservedHeader reports whether [WithHeader] refuses the canonical name ck.
func reservedHeader(ck string) bool {
	for _, r := range reservedHeaders {
		if strings.EqualFold(ck, r) {
			return true
		}
	}
	return false
}

// Package hookserve holds the plumbing of the webhook handler: the dedup key, store retries, the panic guard, the peer check, plain answers, and multipart and JSON bodies read as a form.
package hookserve

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"runtime/debug"
	"time"
)

const (
	// StoreTimeout bounds every DedupStore call; store calls do not
	// end with the request, since a sender that gave up must not leave a
	// claim behind.
	StoreTimeout = 10 * time.Second
	// RetryAfter is the Retry-After (seconds) of a 503 answered
	// while another delivery of the event is in progress or the store
	// failed.
	RetryAfter = "5"
)

// storeWaits are the pauses between the attempts of a Complete or Release
// that failed: a store that hiccups briefly still hears the outcome.
var storeWaits = [...]time.Duration{50 * time.Millisecond, 250 * time.Millisecond}

// StoreRetry calls op up to three times within StoreTimeout and
// returns its last error.
func StoreRetry(base context.Context, op func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(base, StoreTimeout)
	defer cancel()
	err := op(ctx)
	for _, wait := range storeWaits {
		if err == nil {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		err = op(ctx)
	}
	return err
}

// ErrAbortHandler marks a callback that panicked with http.ErrAbortHandler,
// which is re-raised once the claim is released.
var ErrAbortHandler = errors.New("inexopay: webhook callback aborted the handler")

// Call runs fn and turns a panic into an error that holds no part of the
// panic's value (it may hold anything, secrets included): ErrAbortHandler
// for http.ErrAbortHandler, else a *Panic.
func Call(fn func() error) (err error) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler { //nolint:errorlint // the sentinel is compared as net/http does
			err = ErrAbortHandler
			return
		}
		err = &Panic{value: p, Stack: debug.Stack()}
	}()
	return fn()
}

// Panic is a recovered panic of a callback. Its text names the
// panic's type (and a runtime error's message) but never the value, which
// may hold secrets.
type Panic struct {
	value any
	// Stack is where it panicked.
	Stack []byte
}

// Error names the panic's type, never its value.
func (p *Panic) Error() string {
	if re, ok := p.value.(runtime.Error); ok {
		return "callback panicked: " + re.Error()
	}
	return fmt.Sprintf("callback panicked with a %T", p.value)
}

// Key returns the dedup key of an event: "v1:" and the hex SHA-256 of its
// order id, status and datetime, each length-prefixed; printable, 67
// bytes, storable in any database.
func Key(orderID, status, when string) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, part := range [...]string{orderID, status, when} {
		_, _ = h.Write(n[:binary.PutUvarint(n[:], uint64(len(part)))])
		_, _ = io.WriteString(h, part)
	}
	var sum [sha256.Size]byte
	var out [3 + 2*sha256.Size]byte
	copy(out[:], "v1:")
	hex.Encode(out[3:], h.Sum(sum[:0]))
	return string(out[:])
}

// NewHolder returns a random token naming one delivery attempt.
func NewHolder() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// AllowedPeer reports whether the remote address (host:port or host) is
// in one of the allowed prefixes.
func AllowedPeer(remote string, allowed []netip.Prefix) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range allowed {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// WriteBusy answers 503 with Retry-After, so that the sender tries again
// later; a 4xx would tell many senders to give up.
func WriteBusy(w http.ResponseWriter, msg string) {
	w.Header().Set("Retry-After", RetryAfter)
	WritePlain(w, http.StatusServiceUnavailable, msg)
}

// WritePlain answers status with msg as plain text.
func WritePlain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg+"\n")
}

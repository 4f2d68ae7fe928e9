package hookserve

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCallHidesThePanicValue: a panic's value may hold a secret; the error
// names its type only, and an aborted handler stays recognisable.
func TestCallHidesThePanicValue(t *testing.T) {
	err := Call(func() error { panic("otp 583914") })
	var p *Panic
	assert.ErrorAs(t, err, &p)
	assert.NotContains(t, err.Error(), "583914")
	assert.NotEmpty(t, p.Stack)
	assert.ErrorIs(t, Call(func() error { panic(http.ErrAbortHandler) }), ErrAbortHandler)
	want := errors.New("x")
	assert.Same(t, want, Call(func() error { return want }))
}

func TestKeyAndPeer(t *testing.T) {
	k := Key("ORD1", "SUCCESS", "2026-01-01T00:00:00Z")
	assert.Len(t, k, 67)
	assert.True(t, strings.HasPrefix(k, "v1:"))
	assert.NotEqual(t, k, Key("ORD1S", "UCCESS", "2026-01-01T00:00:00Z"), "parts are length-prefixed")
	allowed := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	assert.True(t, AllowedPeer("10.1.2.3:443", allowed))
	assert.True(t, AllowedPeer("[::ffff:10.1.2.3]:443", allowed))
	assert.False(t, AllowedPeer("192.0.2.1:443", allowed))
	assert.False(t, AllowedPeer("not-an-ip", allowed))
}

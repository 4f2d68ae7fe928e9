package inexopay

import (
	"crypto/rand"
	"sync"
	"time"

	"github.com/inexopay/inexopay-go/internal/wire"
)

// Layout of an id made by [NewOrderID], after the prefix: a millisecond timestamp, a sequence
// number within the millisecond and a random part, each in Crockford base32, whose digits sort in
// ASCII order.
const (
	orderIDTimeLen   = 10 // 50 bits: milliseconds since 1970, enough for 35,000 years
	orderIDSeqLen    = 4  // 20 bits: ids within one millisecond
	orderIDRandLen   = 8  // 40 bits from crypto/rand
	orderIDSuffixLen = orderIDTimeLen + orderIDSeqLen + orderIDRandLen
)

// MaxOrderIDPrefix is the longest prefix [NewOrderID] keeps.
const MaxOrderIDPrefix = 42

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// orderIDGen hands out strictly increasing (millisecond, sequence) pairs.
type orderIDGen struct {
	mu     sync.Mutex
	now    func() time.Time
	lastMS int64
	seq    uint32
}

var defaultOrderIDGen = orderIDGen{now: time.Now}

// stamp returns the time and sequence of the next id. When the clock stands still or goes back, it
// keeps the last millisecond and counts up; when the sequence runs out, it moves to the next
// millisecond, so pairs never repeat or go backwards within the process.
func (g *orderIDGen) stamp() (ms int64, seq uint32) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now().UnixMilli()
	if now > g.lastMS {
		g.lastMS, g.seq = now, 0
	} else {
		g.seq++
		if g.seq >= 1<<(5*orderIDSeqLen) {
			g.lastMS++
			g.seq = 0
		}
	}
	return g.lastMS, g.seq
}

// newID builds an id from prefix and the next stamp.
func (g *orderIDGen) newID(prefix string) string {
	buf := make([]byte, 0, len(prefix)+orderIDSuffixLen)
	for i := 0; i < len(prefix) && len(buf) < MaxOrderIDPrefix; i++ {
		if c := prefix[i]; c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
			buf = append(buf, c)
		}
	}
	ms, seq := g.stamp()
	buf = appendBase32(buf, uint64(ms), orderIDTimeLen) //nolint:gosec // ms is a Unix time in milliseconds, never negative
	buf = appendBase32(buf, uint64(seq), orderIDSeqLen)
	var r [5]byte          // 40 bits
	_, _ = rand.Read(r[:]) // never fails since Go 1.24; it crashes the program instead
	v := uint64(r[0])<<32 | uint64(r[1])<<24 | uint64(r[2])<<16 | uint64(r[3])<<8 | uint64(r[4])
	return string(appendBase32(buf, v, orderIDRandLen))
}

// appendBase32 appends the low 5·n bits of v as n Crockford base32 digits, most significant first.
func appendBase32(b []byte, v uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		b = append(b, crockford[(v>>(5*uint(i)))&31])
	}
	return b
}

// NewOrderID returns a unique, time-sorted order id of at most 64 characters.
func NewOrderID(prefix string) string {
	return defaultOrderIDGen.newID(prefix)
}

// answeredOrder is the order id an answer names, got, or, when got has no visible character (it
// names none), fallback: the order asked, which every order id the answer names was checked to be.
func answeredOrder(got, fallback string) string {
	if wire.Blank(got) {
		return fallback
	}
	return wire.TrimID(got)
}

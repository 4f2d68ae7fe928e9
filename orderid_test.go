package inexopay

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inexopay/inexopay-go/internal/validate"
)

var orderIDShape = regexp.MustCompile(`^[A-Za-z0-9]*[0-9A-HJKMNP-TV-Z]{22}$`)

func TestNewOrderIDShape(t *testing.T) {
	id := NewOrderID("WAL")
	assert.Len(t, id, 3+22)
	assert.True(t, strings.HasPrefix(id, "WAL"))
	assert.Regexp(t, orderIDShape, id)
	assert.Equal(t, "", validate.ID(id))

	// The timestamp is the current millisecond, in base32.
	before := time.Now().UnixMilli()
	id = NewOrderID("")
	after := time.Now().UnixMilli()
	ms := orderIDDecode(t, id[:orderIDTimeLen])
	assert.GreaterOrEqual(t, ms, before)
	assert.LessOrEqual(t, ms, after+1) // +1: a sequence overflow may borrow a millisecond
}

func TestNewOrderIDPrefixIsSanitisedAndBounded(t *testing.T) {
	cases := map[string]string{
		"":                            "",
		"PAN":                         "PAN",
		"pan-2026_05/ä é!":            "pan202605",
		"\x00\xff<script>":            "script",
		strings.Repeat("A", 42):       strings.Repeat("A", 42),
		strings.Repeat("Ab1", 30):     strings.Repeat("Ab1", 14),
		"-" + strings.Repeat("Z", 50): strings.Repeat("Z", 42),
	}
	for in, want := range cases {
		id := NewOrderID(in)
		assert.Equal(t, want, id[:len(id)-orderIDSuffixLen], "prefix of %q", in)
		assert.LessOrEqual(t, len(id), 64)
		assert.Regexp(t, orderIDShape, id)
		assert.Equal(t, "", validate.ID(id))
		// Every id NewOrderID makes is accepted by the calls that take one.
		require.NoError(t, (&PANRequestParams{Mobile: "9876543210", OrderID: id, Mode: PANModeEKYC, Type: PANTypeNew}).Validate())
		require.NoError(t, (&SendOTPParams{OrderID: id, AadhaarNumber: fxAadhaar}).Validate())
	}
	assert.Equal(t, 42, MaxOrderIDPrefix)
	assert.Equal(t, 64, MaxOrderIDPrefix+orderIDSuffixLen)
	assert.Len(t, NewOrderID(strings.Repeat("x", 1000)), 64)
}

func TestNewOrderIDUniqueAcrossGoroutines(t *testing.T) {
	const goroutines, each = 16, 100_000 / 16
	ids := make([][]string, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := make([]string, each)
			for i := range out {
				out[i] = NewOrderID("ORD")
			}
			ids[g] = out
		}()
	}
	wg.Wait()
	seen := make(map[string]struct{}, goroutines*each)
	for _, out := range ids {
		// Within one goroutine, calls happen one after another: each id
		// sorts after the one before it.
		assert.True(t, sort.StringsAreSorted(out), "ids of one goroutine are in call order")
		for _, id := range out {
			seen[id] = struct{}{}
		}
	}
	assert.Len(t, seen, goroutines*each)
}

func TestNewOrderIDSortsByCallOrder(t *testing.T) {
	prev := NewOrderID("P")
	for i := 0; i < 20_000; i++ {
		id := NewOrderID("P")
		require.Greater(t, id, prev)
		prev = id
	}
}

// orderIDFakeClock is a clock the test moves by hand.
type orderIDFakeClock struct{ t time.Time }

func (c *orderIDFakeClock) now() time.Time { return c.t }

func TestOrderIDGenMonotonicWithStuckOrBackwardClock(t *testing.T) {
	clock := &orderIDFakeClock{t: time.UnixMilli(1_780_000_000_000)}
	g := &orderIDGen{now: clock.now}

	var ids []string
	for range 5 {
		ids = append(ids, g.newID("X")) // same millisecond: the sequence counts
	}
	clock.t = clock.t.Add(-time.Hour) // the clock steps back
	ids = append(ids, g.newID("X"), g.newID("X"))
	clock.t = clock.t.Add(2 * time.Hour)
	ids = append(ids, g.newID("X"))
	for i := 1; i < len(ids); i++ {
		assert.Greater(t, ids[i], ids[i-1], "id %d", i)
	}
	// The first five share the timestamp and count 0..4.
	for i := range 5 {
		assert.Equal(t, int64(1_780_000_000_000), orderIDDecode(t, ids[i][1:1+orderIDTimeLen]))
		assert.Equal(t, int64(i), orderIDDecode(t, ids[i][1+orderIDTimeLen:1+orderIDTimeLen+orderIDSeqLen]))
	}
	// Behind the clock step, the last millisecond is kept and counts on.
	assert.Equal(t, int64(1_780_000_000_000), orderIDDecode(t, ids[6][1:1+orderIDTimeLen]))
	assert.Equal(t, int64(6), orderIDDecode(t, ids[6][1+orderIDTimeLen:1+orderIDTimeLen+orderIDSeqLen]))
	assert.Equal(t, clock.t.UnixMilli(), orderIDDecode(t, ids[7][1:1+orderIDTimeLen]))
	assert.Equal(t, int64(0), orderIDDecode(t, ids[7][1+orderIDTimeLen:1+orderIDTimeLen+orderIDSeqLen]))
}

func TestOrderIDGenSequenceOverflowBorrowsNextMillisecond(t *testing.T) {
	clock := &orderIDFakeClock{t: time.UnixMilli(1_000)}
	g := &orderIDGen{now: clock.now}
	g.newID("")
	g.seq = 1<<20 - 1 // the last sequence number of this millisecond
	id := g.newID("")
	assert.Equal(t, int64(1_001), orderIDDecode(t, id[:orderIDTimeLen]))
	assert.Equal(t, int64(0), orderIDDecode(t, id[orderIDTimeLen:orderIDTimeLen+orderIDSeqLen]))
	next := g.newID("")
	assert.Greater(t, next, id)
	assert.Equal(t, int64(1), orderIDDecode(t, next[orderIDTimeLen:orderIDTimeLen+orderIDSeqLen]))
	// When the real clock reaches the borrowed millisecond, it counts on.
	clock.t = time.UnixMilli(1_001)
	assert.Greater(t, g.newID(""), next)
}

func TestOrderIDRandomPartVaries(t *testing.T) {
	clock := &orderIDFakeClock{t: time.UnixMilli(1_000)}
	a := (&orderIDGen{now: clock.now}).newID("")
	b := (&orderIDGen{now: clock.now}).newID("")
	// Same time and sequence: only the random part tells them apart.
	assert.Equal(t, a[:orderIDTimeLen+orderIDSeqLen], b[:orderIDTimeLen+orderIDSeqLen])
	assert.NotEqual(t, a, b)
}

func TestAppendBase32(t *testing.T) {
	assert.Equal(t, "0000", string(appendBase32(nil, 0, 4)))
	assert.Equal(t, "000Z", string(appendBase32(nil, 31, 4)))
	assert.Equal(t, "0010", string(appendBase32(nil, 32, 4)))
	assert.Equal(t, "ZZZZ", string(appendBase32(nil, 1<<20-1, 4)))
	assert.Equal(t, "0000", string(appendBase32(nil, 1<<20, 4)), "only the low bits are written")
	assert.True(t, sort.StringsAreSorted(strings.Split(crockford, "")), "digits sort in ASCII order")
}

func orderIDDecode(t *testing.T, s string) int64 {
	t.Helper()
	var v int64
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(crockford, s[i])
		require.GreaterOrEqual(t, d, 0, "%q is not base32", s)
		v = v<<5 | int64(d)
	}
	return v
}

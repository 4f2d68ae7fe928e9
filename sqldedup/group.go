package sqldedup

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inexopay/inexopay-go"
)

// Defaults of the grouping of Claim and Complete calls (see group).
const (
	defaultFlushers = 4
	defaultBatch    = 256
)

// group sends the Claim (or the Complete) calls of a Store to the database
// in fewer statements, as a database groups commits: a call that finds
// fewer than maxFlush statements in flight runs its own at once (one key,
// no wait: the quiet case costs what one statement costs); a call that
// finds maxFlush in flight queues, and when one of them ends, its caller
// hands the queue (up to maxBatch keys, each key once) to the first queued
// call, which runs it as one statement. Every caller returns only once the
// statement that holds its key has committed (its own result) or failed
// (that error, for every key of it): a grouped Claim is decided by
// PostgreSQL exactly as a lone one, and a nil error from a grouped Complete
// still means the key is done in the database. Keys are sorted within a
// statement, so two statements that lock the same rows lock them in the
// same order and cannot deadlock.
type group struct {
	mu       sync.Mutex
	pending  []*call // queued, oldest first; non-empty only while flushing == maxFlush
	flushing int     // statements in flight, or handed to a caller about to run one
	maxFlush int
	maxBatch int
	run      func(batch []*call) // runs the statement and sends each call its result
	name     string              // "claim" or "complete", for errors
}

// Call states, guarded by group.mu.
const (
	callQueued  = iota // in group.pending
	callLeading        // its caller runs batch
	callTaken          // in another caller's batch: wait for done
)

type call struct {
	ctx         context.Context
	key, holder string
	lease       time.Duration // Claim only
	state       int
	batch       []*call       // set with callLeading
	lead        chan struct{} // closed when the caller must run batch
	done        chan result   // the statement's result; buffered
}

type result struct {
	claim inexopay.ClaimResult
	err   error
}

// do runs c through the group and returns the result of the statement
// that held its key.
func (g *group) do(c *call) result {
	c.done = make(chan result, 1)
	g.mu.Lock()
	if g.flushing < g.maxFlush {
		g.flushing++
		g.mu.Unlock()
		g.runBatch([]*call{c})
		return <-c.done
	}
	c.state = callQueued
	c.lead = make(chan struct{})
	g.pending = append(g.pending, c)
	g.mu.Unlock()

	select {
	case r := <-c.done:
		return r
	case <-c.lead:
		g.runBatch(c.batch)
		return <-c.done
	case <-c.ctx.Done():
	}
	g.mu.Lock()
	state := c.state
	if state == callQueued {
		if i := slices.Index(g.pending, c); i >= 0 {
			g.pending = slices.Delete(g.pending, i, i+1)
		}
	}
	g.mu.Unlock()
	switch state {
	case callQueued:
		return result{err: fmt.Errorf("sqldedup: %s: %w", g.name, context.Cause(c.ctx))}
	case callLeading:
		g.runBatch(c.batch)
	}
	return <-c.done
}

// runBatch runs batch's statement, and then hands the next queued calls to
// the first of them (or ends this flush when none is queued).
func (g *group) runBatch(batch []*call) {
	g.run(batch)

	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.pending) == 0 {
		g.flushing--
		return
	}
	var next []*call
	seen := make(map[string]bool, min(len(g.pending), g.maxBatch))
	g.pending = slices.DeleteFunc(g.pending, func(c *call) bool {
		if len(next) == g.maxBatch || seen[c.key] {
			return false // a key twice in one statement is refused by ON CONFLICT DO UPDATE
		}
		seen[c.key] = true
		next = append(next, c)
		c.state = callTaken
		return true
	})
	next[0].state, next[0].batch = callLeading, next
	close(next[0].lead)
}

// sortedArrays returns the keys, holders and leases (in microseconds) of
// batch sorted by key, as PostgreSQL array literals. Keys and holders are
// printable ASCII (checkArgs); each is double-quoted with its backslashes
// and double quotes escaped.
func sortedArrays(batch []*call) (keys, holders, leases string) {
	sorted := slices.Clone(batch)
	slices.SortFunc(sorted, func(a, b *call) int { return strings.Compare(a.key, b.key) })
	var k, h, l strings.Builder
	for i, c := range sorted {
		sep := byte('{')
		if i > 0 {
			sep = ','
		}
		k.WriteByte(sep)
		h.WriteByte(sep)
		l.WriteByte(sep)
		writeArrayElem(&k, c.key)
		writeArrayElem(&h, c.holder)
		fmt.Fprint(&l, c.lease.Microseconds())
	}
	k.WriteByte('}')
	h.WriteByte('}')
	l.WriteByte('}')
	return k.String(), h.String(), l.String()
}

func writeArrayElem(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

// allDone returns a context for a statement run on behalf of every caller
// in batch: it carries the first caller's values and ends only when every
// caller's context has ended, so that one caller giving up does not fail
// the others' keys. stop releases it.
func allDone(batch []*call) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(batch[0].ctx))
	var left atomic.Int64
	left.Store(int64(len(batch)))
	stops := make([]func() bool, len(batch))
	for i, c := range batch {
		stops[i] = context.AfterFunc(c.ctx, func() {
			if left.Add(-1) == 0 {
				cancel(context.Cause(c.ctx))
			}
		})
	}
	return ctx, func() {
		for _, stop := range stops {
			stop()
		}
		cancel(nil)
	}
}

// runClaims is the statement of the Claim group.
func (s *Store) runClaims(batch []*call) {
	if len(batch) == 1 {
		c := batch[0]
		var acquired, done bool
		err := s.db.QueryRowContext(c.ctx, s.claimSQL, c.key, c.holder, c.lease.Microseconds()).Scan(&acquired, &done)
		c.done <- claimResult(acquired, done, err)
		return
	}
	keys, holders, leases := sortedArrays(batch)
	ctx, stop := allDone(batch)
	defer stop()
	type row struct{ acquired, done bool }
	got := make(map[string]row, len(batch))
	err := func() error {
		rows, err := s.db.QueryContext(ctx, s.claimManySQL, keys, holders, leases)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var r row
			if err := rows.Scan(&k, &r.acquired, &r.done); err != nil {
				return err
			}
			got[k] = r
		}
		return rows.Err()
	}()
	for _, c := range batch {
		r, ok := got[c.key]
		switch {
		case err != nil:
			c.done <- claimResult(false, false, err)
		case !ok:
			c.done <- claimResult(false, false, sql.ErrNoRows)
		default:
			c.done <- claimResult(r.acquired, r.done, nil)
		}
	}
}

func claimResult(acquired, done bool, err error) result {
	switch {
	case err != nil:
		return result{err: fmt.Errorf("sqldedup: claim: %w", err)}
	case acquired:
		return result{claim: inexopay.ClaimAcquired}
	case done:
		return result{claim: inexopay.ClaimDone}
	default:
		return result{claim: inexopay.ClaimBusy}
	}
}

// runCompletes is the statement of the Complete group.
func (s *Store) runCompletes(batch []*call) {
	var err error
	if len(batch) == 1 {
		c := batch[0]
		_, err = s.db.ExecContext(c.ctx, s.completeSQL, c.key, c.holder, s.retention.Microseconds())
	} else {
		keys, holders, _ := sortedArrays(batch)
		ctx, stop := allDone(batch)
		_, err = s.db.ExecContext(ctx, s.completeManySQL, keys, holders, s.retention.Microseconds())
		stop()
	}
	if err != nil {
		err = fmt.Errorf("sqldedup: complete: %w", err)
	}
	for _, c := range batch {
		c.done <- result{err: err}
	}
}

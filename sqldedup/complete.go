package sqldedup

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Defaults of the group commit of Complete (see completer).
const (
	defaultCompleteFlushers = 2
	defaultCompleteBatch    = 256
)

// completer groups the Complete calls of a Store into fewer statements, as
// a database groups commits: a call that finds fewer than maxFlush
// statements in flight runs its own at once (one row, no wait: the quiet
// case costs what it did); a call that finds maxFlush in flight queues, and
// when one of them ends, its caller hands the queue (up to maxBatch keys)
// to the first queued call, which runs it as one INSERT … SELECT FROM
// unnest(…) … ON CONFLICT. Every caller returns only once the statement
// that holds its key has committed (nil) or failed (that error, for every
// key of the statement), so a nil error still means the key is done in the
// database. Keys are sorted within a statement, so two statements that lock
// the same rows lock them in the same order and cannot deadlock.
type completer struct {
	mu       sync.Mutex
	pending  []*completeReq // queued, oldest first; non-empty only while flushing == maxFlush
	flushing int            // statements in flight, or handed to a caller about to run one
	maxFlush int
	maxBatch int
}

// Request states, guarded by completer.mu.
const (
	reqQueued  = iota // in completer.pending
	reqLeading        // its caller runs batch
	reqTaken          // in another caller's batch: wait for done
)

type completeReq struct {
	ctx         context.Context
	key, holder string
	state       int
	batch       []*completeReq // set with reqLeading
	lead        chan struct{}  // closed when the caller must run batch
	done        chan error     // the statement's result; buffered
}

// complete runs r's key through the group commit and returns the result of
// the statement that held it.
func (s *Store) complete(r *completeReq) error {
	c := &s.completer
	c.mu.Lock()
	if c.flushing < c.maxFlush {
		c.flushing++
		c.mu.Unlock()
		s.runBatch([]*completeReq{r})
		return <-r.done
	}
	r.state = reqQueued
	r.lead = make(chan struct{})
	c.pending = append(c.pending, r)
	c.mu.Unlock()

	select {
	case err := <-r.done:
		return err
	case <-r.lead:
		s.runBatch(r.batch)
		return <-r.done
	case <-r.ctx.Done():
	}
	c.mu.Lock()
	state := r.state
	if state == reqQueued {
		if i := slices.Index(c.pending, r); i >= 0 {
			c.pending = slices.Delete(c.pending, i, i+1)
		}
	}
	c.mu.Unlock()
	switch state {
	case reqQueued:
		return fmt.Errorf("sqldedup: complete: %w", context.Cause(r.ctx))
	case reqLeading:
		s.runBatch(r.batch)
	}
	return <-r.done
}

// runBatch completes the keys of batch in one statement, tells every
// caller in it the result, and then hands the next queued keys to the first
// of their callers (or ends this flush when none is queued).
func (s *Store) runBatch(batch []*completeReq) {
	var err error
	if len(batch) == 1 {
		r := batch[0]
		_, err = s.db.ExecContext(r.ctx, s.completeSQL, r.key, r.holder, s.retention.Microseconds())
	} else {
		keys, holders := batchArrays(batch)
		ctx, stop := allDone(batch)
		_, err = s.db.ExecContext(ctx, s.completeManySQL, keys, holders, s.retention.Microseconds())
		stop()
	}
	if err != nil {
		err = fmt.Errorf("sqldedup: complete: %w", err)
	}
	for _, r := range batch {
		r.done <- err
	}

	c := &s.completer
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) == 0 {
		c.flushing--
		return
	}
	n := min(len(c.pending), c.maxBatch)
	next := slices.Clone(c.pending[:n])
	c.pending = slices.Delete(c.pending, 0, n)
	for _, r := range next {
		r.state = reqTaken
	}
	next[0].state, next[0].batch = reqLeading, next
	close(next[0].lead)
}

// batchArrays returns the keys of batch, sorted and without repeats, and
// the holder of each (the first caller's), as PostgreSQL text[] literals.
// Keys and holders are printable ASCII (checkArgs); each element is
// double-quoted with its backslashes and double quotes escaped.
func batchArrays(batch []*completeReq) (keys, holders string) {
	sorted := slices.Clone(batch)
	slices.SortStableFunc(sorted, func(a, b *completeReq) int { return strings.Compare(a.key, b.key) })
	var k, h strings.Builder
	k.WriteByte('{')
	h.WriteByte('{')
	for i, r := range sorted {
		if i > 0 && r.key == sorted[i-1].key {
			continue
		}
		if k.Len() > 1 {
			k.WriteByte(',')
			h.WriteByte(',')
		}
		writeArrayElem(&k, r.key)
		writeArrayElem(&h, r.holder)
	}
	k.WriteByte('}')
	h.WriteByte('}')
	return k.String(), h.String()
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
func allDone(batch []*completeReq) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(batch[0].ctx))
	var left atomic.Int64
	left.Store(int64(len(batch)))
	stops := make([]func() bool, len(batch))
	for i, r := range batch {
		stops[i] = context.AfterFunc(r.ctx, func() {
			if left.Add(-1) == 0 {
				cancel(context.Cause(r.ctx))
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

package sqldedup

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultTable is the table [New] uses when [WithTable] is not given.
const DefaultTable = "inexopay_webhook_dedup"

// maxIdentBytes bounds each part of a table name, so that the index name
// derived from it stays within PostgreSQL's 63-byte identifiers.
const maxIdentBytes = 48

type config struct {
	schema, table string // validated, unquoted
	retention     time.Duration
	cleanupEvery  time.Duration
	cleanupBatch  int
	err           error
}

// Option configures a [Store]; pass options to [New]. An option given an invalid
// value makes New fail with an error that names it; a nil Option is
// skipped.
type Option func(*config)

func (c *config) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// WithTable makes the [Store] keep its records in the table name instead of
// [DefaultTable], optionally qualified by a schema ("webhooks.dedup"); the
// schema must exist. Each part must be 1 to 48 bytes of lower-case ASCII
// letters, digits and underscores, not starting with a digit: a name that
// would need quoting to mean the same thing in psql is refused by New,
// rather than silently creating a second, case-sensitive table. The name is
// quoted in every statement.
func WithTable(name string) Option {
	return func(c *config) {
		schema, table, ok := strings.Cut(name, ".")
		if !ok {
			schema, table = "", name
		}
		if (ok && !validIdent(schema)) || !validIdent(table) {
			c.fail(fmt.Errorf("sqldedup: WithTable(%q): want [schema.]table, each 1 to %d bytes of a-z, 0-9 and _, not starting with a digit", name, maxIdentBytes))
			return
		}
		c.schema, c.table = schema, table
	}
}

// WithRetention sets how long a completed key is remembered (24 hours by
// default): a copy of an event that arrives later than this after it was
// handled is handled again. Choose it longer than the sender's whole retry
// schedule. A duration below one second makes New fail.
func WithRetention(d time.Duration) Option {
	return func(c *config) {
		if d < time.Second {
			c.fail(fmt.Errorf("sqldedup: WithRetention(%v): want at least 1s", d))
			return
		}
		c.retention = d
	}
}

// WithCleanup sets how often the Store deletes expired records and how many
// it deletes at a time (by default at most once a minute, 1,000 records).
// The deletion ([Store.Cleanup]) runs within a [Store.Claim] call, at most once per interval per
// Store, and runs again at the next Claim while a batch came back full. An
// interval of 0 cleans at every Claim. A negative interval or a batch below
// 1 makes New fail.
func WithCleanup(interval time.Duration, batch int) Option {
	return func(c *config) {
		if interval < 0 || batch < 1 {
			c.fail(fmt.Errorf("sqldedup: WithCleanup(%v, %d): want an interval >= 0 and a batch >= 1", interval, batch))
			return
		}
		c.cleanupEvery, c.cleanupBatch = interval, batch
	}
}

// validIdent reports whether s is a lower-case SQL identifier that means the
// same quoted and unquoted.
func validIdent(s string) bool {
	if s == "" || len(s) > maxIdentBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c == '_':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// quoteIdent quotes a name validIdent accepted.
func quoteIdent(s string) string { return `"` + s + `"` }

var errNilDB = errors.New("sqldedup: New needs a *sql.DB, got nil")

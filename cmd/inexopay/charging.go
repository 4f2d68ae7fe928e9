// Charging commands: the confirm-then-charge flow they share. Each product's
// commands are in charging_<product>.go.

package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/inexopay/inexopay-go"
)

// errNotConfirmed is the error of a charging command the operator did not
// confirm; nothing was sent.
var errNotConfirmed = errors.New("not confirmed: nothing was sent (give -yes to skip the question)")

// charge runs a command that charges or creates something: it prints the
// order id first on stdout (with -json it goes into the JSON error line
// instead, so that stderr holds one JSON object), asks for confirmation on
// stderr unless -yes, then calls. An outcome-unknown error gets lookup, a
// sentence saying how to find out what happened, appended.
func (c *cli) charge(orderLabel, orderID, what string, summary []field, lookup string, call func() error) error {
	c.idName = strings.ReplaceAll(strings.ToLower(orderLabel), " ", "_")
	if !strings.HasPrefix(orderID, assignedByAPI) {
		c.id = orderID
	}
	if !c.opts.json {
		if err := c.printFields(field{orderLabel, orderID}); err != nil {
			return err
		}
	}
	if !c.opts.yes {
		fmt.Fprintf(c.stderr, "This %s.\n", what)
		tw := tabwriter.NewWriter(c.stderr, 0, 0, 1, ' ', 0)
		for _, f := range summary {
			if f.value != "" {
				fmt.Fprintf(tw, "  %s:\t%s\n", f.label, oneLine(f.value))
			}
		}
		_ = tw.Flush()
		fmt.Fprint(c.stderr, "Proceed? [y/N] ")
		answer, err := c.stdin.ReadString('\n')
		if err != nil && (!errors.Is(err, io.EOF) || answer == "") {
			fmt.Fprintln(c.stderr)
			return errNotConfirmed
		}
		switch strings.ToLower(strings.TrimSpace(answer)) {
		case "y", "yes":
		default:
			return errNotConfirmed
		}
	}
	err := call()
	c.charged = err == nil
	if errors.Is(err, inexopay.ErrOutcomeUnknown) {
		return &hintError{err: err, hint: lookup}
	}
	return err
}

// hintError is an outcome-unknown error with the CLI's own sentence on how
// to find out what happened; the sentence is printed as it is, on a line of
// its own, while the error's text (which may quote the network) is escaped.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() + "\n" + e.hint }
func (e *hintError) Unwrap() error { return e.err }

// assignedByAPI starts the order id printed when INEXOPAY assigns it.
const assignedByAPI = "assigned by INEXOPAY"

// orderOrNew returns id, or a new order id with prefix when id is empty.
func orderOrNew(id, prefix string) string {
	if id = strings.TrimSpace(id); id != "" {
		return id
	}
	return inexopay.NewOrderID(prefix)
}

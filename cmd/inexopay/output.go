// Standard output: a failed write after a charging call went through is
// not a failure of the call.

package main

import (
	"fmt"
	"io"
	"strings"
)

// stdoutWriter writes to the command's standard output and keeps the first
// error of a write.
type stdoutWriter struct {
	w   io.Writer
	err error
}

func (s *stdoutWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}

// outputError is a failure to write the command's output, before any
// charging call went through.
type outputError struct{ err error }

func (e *outputError) Error() string { return "cannot write to standard output: " + e.err.Error() }
func (e *outputError) Unwrap() error { return e.err }

// outputFailure says what a failed write to stdout means: after a charging
// call went through, the result is lost but the charge is not, so it is an
// *incompleteError naming the order or agent; before, an *outputError.
func (c *cli) outputFailure(err error) error {
	if err == nil || c.out.err == nil {
		return err
	}
	if !c.charged {
		return &outputError{c.out.err}
	}
	id := c.id
	if id == "" {
		id = "(not known: the answer named none)"
	}
	return &incompleteError{fmt.Sprintf("the call went through (%s %s), but its result could not be written to standard output: %v",
		strings.ReplaceAll(c.idName, "_", " "), id, c.out.err)}
}

package inexopay

import "time"

// CallOption configures one call. Every service method takes options
// last, such as client.PAN.Status(ctx, orderID, opts...); an option that
// does not apply to a call is ignored by it, and a nil CallOption is
// skipped.
type CallOption func(*callConfig)

// callConfig is what the options of one call set. It is built once at the
// start of the call and only read after that.
type callConfig struct {
	// pollInitial and pollMax space the status calls of the wait helpers.
	pollInitial, pollMax time.Duration
}

func newCallConfig(opts []CallOption) callConfig {
	c := callConfig{pollInitial: DefaultPollInitial, pollMax: DefaultPollMax}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.pollMax < c.pollInitial {
		c.pollMax = c.pollInitial
	}
	return c
}

package main

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	inexopay "github.com/inexopay/inexopay-go"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestRunServesUntilCancelled starts the sandbox on a free loopback port,
// reads the URL and credentials it prints, calls it through the SDK and
// stops it by cancelling ctx.
func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"-addr", "127.0.0.1:0", "-api-key", "k_cmd_test_1234", "-username", "cmduser", "-balance", "1250.50"}, pw)
		_ = pw.CloseWithError(io.EOF)
		done <- err
	}()

	vars := map[string]string{}
	sc := bufio.NewScanner(pr)
	var lines []string
	for sc.Scan() {
		line := sc.Text()
		lines = append(lines, line)
		if k, v, found := strings.Cut(line, "="); found && strings.HasPrefix(k, "INEXOPAY_") {
			vars[k] = v
		}
		if strings.HasPrefix(line, "INEXOPAY_API_KEY=") {
			break
		}
	}
	require.NoError(t, sc.Err())
	go func() { _, _ = io.Copy(io.Discard, pr) }() // drain the rest

	base := vars["INEXOPAY_BASE_URL"]
	require.True(t, strings.HasPrefix(base, "http://127.0.0.1:"), base)
	assert.NotEqual(t, "http://127.0.0.1:0", base)
	assert.Equal(t, "cmduser", vars["INEXOPAY_USERNAME"])
	assert.Equal(t, "k_cmd_test_1234", vars["INEXOPAY_API_KEY"])
	assert.Equal(t, "INEXOPAY sandbox listening on "+base, lines[0])
	assert.Equal(t, "username: cmduser", lines[1])

	c, err := inexopay.NewClient(inexopay.HeaderAuth(vars["INEXOPAY_API_KEY"], vars["INEXOPAY_USERNAME"]),
		inexopay.WithBaseURL(base), inexopay.WithRetry(0, 0, 0))
	require.NoError(t, err)
	b, err := c.Account.Balance(ctx)
	require.NoError(t, err)
	assert.Equal(t, &inexopay.Balance{Amount: 125050, Username: "cmduser"}, b)

	cancel()
	require.NoError(t, <-done)
	_, err = c.Account.Balance(context.Background())
	assert.Error(t, err, "the server is gone")
}

func TestRunRefuses(t *testing.T) {
	var out strings.Builder
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-addr", "0.0.0.0:0"}, "not a loopback address; pass -allow-remote"},
		{[]string{"-addr", ":8080"}, "not a loopback address"},
		{[]string{"-addr", "127.0.0.1:0", "-balance", "ten"}, "-balance"},
		{[]string{"-addr", "127.0.0.1:0", "extra"}, "unexpected arguments: extra"},
		{[]string{"-no-such-flag"}, "flag provided but not defined"},
	} {
		err := run(context.Background(), tc.args, &out)
		require.Error(t, err, tc.args)
		assert.Contains(t, err.Error(), tc.want)
	}
	assert.True(t, loopbackAddr("localhost:1"))
	assert.True(t, loopbackAddr("[::1]:1"))
	assert.False(t, loopbackAddr("192.0.2.1:1"))
	assert.False(t, loopbackAddr("nonsense"))
}

func TestRunAllowRemote(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve, print, stop at once
	var out strings.Builder
	require.NoError(t, run(ctx, []string{"-addr", "0.0.0.0:0", "-allow-remote"}, &out))
	assert.Contains(t, out.String(), "INEXOPAY_BASE_URL=http://127.0.0.1:")
	assert.Contains(t, out.String(), "INEXOPAY_API_KEY=sandbox_key_")
	assert.True(t, strings.HasSuffix(out.String(), "stopped\n"))
}

package netutil

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsLoopbackHost(t *testing.T) {
	for _, h := range []string{"localhost", "LOCALHOST", "127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"} {
		assert.True(t, IsLoopbackHost(h), h)
	}
	for _, h := range []string{"", "localhost.example.com", "example.com", "0.0.0.0", "::", "192.0.2.1", "[::1]", "127.0.0.1:80"} {
		assert.False(t, IsLoopbackHost(h), h)
	}
}

func TestIsLoopbackAddr(t *testing.T) {
	for _, a := range []string{"localhost:1", "127.0.0.1:8080", "[::1]:1", "127.0.0.1:0"} {
		assert.True(t, IsLoopbackAddr(a), a)
	}
	for _, a := range []string{":8080", "0.0.0.0:0", "192.0.2.1:1", "nonsense", "127.0.0.1", ""} {
		assert.False(t, IsLoopbackAddr(a), a)
	}
}

func TestIsLoopbackURL(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080/h", "https://localhost/h", "http://LOCALHOST:9", "http://[::1]:8080"} {
		assert.True(t, IsLoopbackURL(u), u)
	}
	for _, u := range []string{"ftp://127.0.0.1/", "http://localhost.example.com/", "https://merchant.example/hook",
		"127.0.0.1:8080", "http://%zz", ""} {
		assert.False(t, IsLoopbackURL(u), u)
	}
}

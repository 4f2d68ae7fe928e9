package netutil

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidPort(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://h/": true, "https://h:/": true, "https://h:1/": true, "https://h:443/": true, "https://h:0443/": true,
		"https://h:65535/": true, "https://h:65536/": false, "https://h:0/": false, "https://h:000/": false,
		"https://h:99999/": false, "https://h:184467440737095516150/": false,
	} {
		u, err := url.Parse(raw)
		if assert.NoError(t, err, raw) {
			assert.Equal(t, want, ValidPort(u), raw)
		}
	}
	assert.False(t, ValidPort(&url.URL{Scheme: "https", Host: "h:4x3"}), "not a number")
}

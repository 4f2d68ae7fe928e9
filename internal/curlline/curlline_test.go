package curlline

import (
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequest(t *testing.T) {
	req, err := Request(context.Background(), `curl -sS http://127.0.0.1:1/api/x.php --data-urlencode 'api_key=k'\''ey $x&y' -d username=sandbox --data-urlencode 'name=Ravi Kumar'`)
	require.NoError(t, err)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "application/x-www-form-urlencoded", req.Header.Get("Content-Type"))
	b, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	assert.Equal(t, "api_key=k%27ey+%24x%26y&username=sandbox&name=Ravi+Kumar", string(b))

	req, err = Request(context.Background(), "curl -sS http://127.0.0.1:1/sandbox/control/deliveries")
	require.NoError(t, err)
	assert.Equal(t, "GET", req.Method)

	for _, bad := range []string{"curl 'open", "curl http://x -d $HOME", "wget http://x", "curl -k http://x", "curl"} {
		_, err := Request(context.Background(), bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, []string{"curl -sS a", "curl b -d x=1"}, Lines("x\n   curl -sS a\nDeliveries: curl b -d x=1\n"))
}

package inexopay

import (
	"net/http"
	"runtime"

	"github.com/inexopay/inexopay-go/internal/wire"
)

func testingProcs() int { return runtime.GOMAXPROCS(0) }

func decodeBench(e Endpoint, body []byte, out wire.Headed) error {
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}}
	if ae := decodeAnswer(e, resp, body, out); ae != nil {
		return ae
	}
	return nil
}

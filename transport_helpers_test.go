package inexopay

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
)

// closeIdle closes the idle connections of the transport a Client sends
// with (the SDK itself never does), so that a test leaves no connection
// goroutine behind.
func closeIdle(c *Client) {
	if ci, ok := c.transport.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// trustTestCA makes the SDK's own transport of c trust pool (a test-only
// hook: the SDK offers no option for it). A nil pool changes nothing.
func trustTestCA(c *Client, pool *x509.CertPool) {
	if pool == nil {
		return
	}
	c.transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

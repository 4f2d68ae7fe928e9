package inexopay

// closeIdle closes the idle connections of the transport a Client sends
// with (the SDK itself never does), so that a test leaves no connection
// goroutine behind.
func closeIdle(c *Client) {
	if ci, ok := c.transport.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

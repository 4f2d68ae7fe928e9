// Package testkit holds the misbehaving servers and the TLS set-up that the
// tests of every package in this module use: raw TCP servers that reset or
// drop a connection after reading a request, servers that answer with bytes
// of the test's choosing (echoing secrets in bodies and headers), HTTP/2
// servers written at the frame level (RST_STREAM, GOAWAY), closed
// addresses, and a webhook sender that times out and retries as INEXOPAY
// does.
//
// Every server listens on loopback only and is closed, with every
// connection it accepted and every goroutine it started, when the test
// ends. Nothing here imports the inexopay package, so that both its
// internal and its external tests can use it.
package testkit

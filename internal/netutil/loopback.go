// Package netutil holds the one loopback check of the module, shared by the
// SDK (plain http only to loopback), the inexopaytest sandbox (webhooks only
// to loopback) and the commands (listen and warn about loopback).
package netutil

import (
	"net"
	"net/url"
	"strings"
)

// IsLoopbackHost reports whether host (a host name or IP, without port or
// brackets) is localhost, in any case, or a loopback IP such as 127.0.0.1,
// 127.0.0.2 or ::1. Any other name is not, because it could resolve
// anywhere.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsLoopbackAddr reports whether a listen or dial address (host:port) is on
// loopback. An empty host (every interface) or an address without a port
// is not.
func IsLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && IsLoopbackHost(host)
}

// IsLoopbackURL reports whether raw is an absolute http or https URL whose
// host is loopback.
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	return IsLoopbackHost(u.Hostname())
}

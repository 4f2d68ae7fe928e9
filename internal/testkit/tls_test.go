package testkit

import (
	"crypto/x509"
	"net"
	"testing"
	"time"
)

func TestCertIsValidForLoopbackAndTrustedByItsPool(t *testing.T) {
	cert, pool := Cert(t)
	if cert.Leaf == nil {
		t.Fatal("no leaf")
	}
	_, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "127.0.0.1", CurrentTime: time.Now()})
	if err != nil {
		t.Fatalf("the pool does not trust the certificate for 127.0.0.1: %v", err)
	}
	if !cert.Leaf.IPAddresses[0].Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("certificate is for %v", cert.Leaf.IPAddresses)
	}
}

package testkit

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"testing"
	"time"
)

// Cert returns a self-signed certificate valid for 127.0.0.1 for an hour,
// and a pool that trusts it. It fails the test if the key or the
// certificate cannot be made.
func Cert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	fatalIf(t, "key", err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "inexopay test server"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	fatalIf(t, "certificate", err)
	leaf, err := x509.ParseCertificate(der)
	fatalIf(t, "certificate", err)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// HTTP2Client returns an http.Client whose own transport trusts pool and
// speaks HTTP/2 when the server offers it. The caller closes its idle
// connections when done (the test servers close theirs at cleanup anyway).
func HTTP2Client(pool *x509.CertPool) *http.Client {
	return &http.Client{Transport: &http.Transport{ForceAttemptHTTP2: true,
		TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
}

// fatalIf fails the test, naming what could not be made, when err is not
// nil.
func fatalIf(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("testkit: %s: %v", what, err)
	}
}

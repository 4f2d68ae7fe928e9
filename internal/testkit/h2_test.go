package testkit

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"
)

func TestH2ServerAnswersAndCounts(t *testing.T) {
	var path string
	srv := StartH2(t, &H2Server{OnRequest: func(fr *http2.Framer, st *H2Stream) bool {
		path = st.Header.Get(":path")
		WriteH2Answer(fr, st.ID, 200, `{"ok":true}`+string(st.Body), true)
		return true
	}})
	hc := srv.Client()
	defer hc.CloseIdleConnections()
	for range 2 {
		resp, err := hc.Post(srv.URL()+"/api", "text/plain", strings.NewReader("abc"))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.ProtoMajor != 2 || string(b) != `{"ok":true}abc` {
			t.Fatalf("HTTP/%d %q", resp.ProtoMajor, b)
		}
	}
	if path != "/api" || srv.Streams() != 2 || srv.BodyAttempts() != 2 {
		t.Errorf("path %q, streams %d, with a body %d", path, srv.Streams(), srv.BodyAttempts())
	}
	srv.ResetCounts()
	if srv.Streams() != 0 || srv.BodyAttempts() != 0 {
		t.Errorf("after ResetCounts: streams %d, with a body %d", srv.Streams(), srv.BodyAttempts())
	}
}

func TestH2ServerOnHeadersCanCloseTheConnection(t *testing.T) {
	srv := StartH2(t, &H2Server{Deadline: 5 * time.Second,
		OnHeaders: func(fr *http2.Framer, _ *H2Stream) bool {
			_ = fr.WriteGoAway(0, http2.ErrCodeProtocol, []byte("go away"))
			return false
		}})
	hc := srv.Client()
	defer hc.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL(), nil)
	if resp, err := hc.Do(req); err == nil {
		_ = resp.Body.Close()
		t.Fatal("a request answered by GOAWAY succeeded")
	}
}

func TestH2ServerRefusesHTTP1(t *testing.T) {
	srv := StartH2(t, &H2Server{})
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.Pool, MinVersion: tls.VersionTLS12}}}
	defer hc.CloseIdleConnections()
	if resp, err := hc.Get(srv.URL()); err == nil {
		_ = resp.Body.Close()
		t.Fatal("an HTTP/1.1 request was answered")
	}
}

func TestH2ServerAnswersPingAndLeavesOnGoAway(t *testing.T) {
	srv := StartH2(t, &H2Server{})
	c, err := tls.Dial("tcp", srv.Addr(), &tls.Config{RootCAs: srv.Pool, NextProtos: []string{"h2"}, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, http2.ClientPreface); err != nil {
		t.Fatal(err)
	}
	fr := http2.NewFramer(c, c)
	_ = fr.WriteSettings()
	_ = fr.WriteData(7, true, []byte("no such stream")) // ignored
	_ = fr.WritePing(false, [8]byte{1, 2, 3})
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			t.Fatalf("no PING ack: %v", err)
		}
		if p, ok := f.(*http2.PingFrame); ok {
			if !p.IsAck() || p.Data != [8]byte{1, 2, 3} {
				t.Fatalf("ping answer %+v", p)
			}
			break
		}
	}
	_ = fr.WriteGoAway(0, http2.ErrCodeNo, nil)
	for {
		if _, err := fr.ReadFrame(); err != nil {
			break // the server closed the connection
		}
	}
}

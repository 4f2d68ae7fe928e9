package testkit

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// WebhookSender posts webhooks the way INEXOPAY does: with a short client
// timeout, and again on any non-2xx answer or no answer, up to 10 times,
// with a growing pause (5 ms, 10 ms, … at most 200 ms) between attempts.
type WebhookSender struct {
	client *http.Client
	// Header is sent with every post (Content-Type is set for you).
	Header http.Header
	// First, when set, is called with the code of the first attempt's
	// answer (0 when there was none).
	First func(code int)
}

// Delivery is what one delivery saw, attempt by attempt.
type Delivery struct {
	// Codes holds each attempt's answer code; 0: no answer (timeout or
	// connection error).
	Codes []int
	// Delivered says an attempt got a 2xx answer.
	Delivered bool
}

// NewWebhookSender returns a sender whose every attempt gives up after
// timeout. Its idle connections are closed when the test ends.
func NewWebhookSender(t testing.TB, timeout time.Duration) *WebhookSender {
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	t.Cleanup(tr.CloseIdleConnections)
	return &WebhookSender{client: &http.Client{Timeout: timeout, Transport: tr}, Header: http.Header{}}
}

// Send posts the form body to target until an attempt gets a 2xx answer,
// at most 1+10 times.
func (s *WebhookSender) Send(target, body string) Delivery {
	var res Delivery
	wait := 5 * time.Millisecond
	for attempt := 0; attempt <= 10; attempt++ {
		if attempt > 0 {
			time.Sleep(wait)
			wait = min(2*wait, 200*time.Millisecond)
		}
		code := s.Post(target, body)
		res.Codes = append(res.Codes, code)
		if attempt == 0 && s.First != nil {
			s.First(code)
		}
		if code >= 200 && code <= 299 {
			res.Delivered = true
			return res
		}
	}
	return res
}

// Post makes one attempt and returns its answer code, or 0 when no answer
// came (timeout or connection error).
func (s *WebhookSender) Post(target, body string) int {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		return 0
	}
	for k, vs := range s.Header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// Count counts the attempts in d that got code.
func (d Delivery) Count(code int) int {
	n := 0
	for _, c := range d.Codes {
		if c == code {
			n++
		}
	}
	return n
}

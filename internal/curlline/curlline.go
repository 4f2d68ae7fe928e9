// Package curlline turns the curl command lines the sandbox's index page
// prints into HTTP requests, so that tests can run them exactly as written
// without a shell or curl. It understands the subset the page uses: POSIX
// shell words with single quotes, -sS, -d NAME=VALUE (sent as written) and
// --data-urlencode NAME=VALUE (VALUE percent-encoded), -H 'Name: value'
// and -X METHOD.
package curlline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Words splits a command line into words as a POSIX shell does for
// unquoted words, single-quoted strings and backslash escapes outside
// quotes. It fails on an unterminated quote and on shell syntax it does not
// run ($, `, ", ;, |, &, <, > outside single quotes).
func Words(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("curlline: unterminated single quote")
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '\\' && i+1 < len(line):
			cur.WriteByte(line[i+1])
			i++
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.IndexByte("$`\";|&<>", c) >= 0:
			return nil, fmt.Errorf("curlline: unquoted %q is shell syntax this parser does not run", c)
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// Request builds the request a curl command line makes. A line with data
// is a form POST; one without is a GET, unless -X says otherwise.
func Request(ctx context.Context, line string) (*http.Request, error) {
	w, err := Words(line)
	if err != nil {
		return nil, err
	}
	if len(w) == 0 || w[0] != "curl" {
		return nil, errors.New("curlline: not a curl command")
	}
	var target, method string
	var data []string
	hdr := http.Header{}
	for i := 1; i < len(w); i++ {
		a := w[i]
		next := func() (string, error) {
			if i+1 >= len(w) {
				return "", fmt.Errorf("curlline: %s needs a value", a)
			}
			i++
			return w[i], nil
		}
		switch a {
		case "-s", "-S", "-sS", "-Ss", "--silent", "--show-error":
		case "-d", "--data":
			v, err := next()
			if err != nil {
				return nil, err
			}
			data = append(data, v)
		case "--data-urlencode":
			v, err := next()
			if err != nil {
				return nil, err
			}
			name, val, ok := strings.Cut(v, "=")
			if !ok {
				return nil, errors.New("curlline: --data-urlencode needs NAME=VALUE")
			}
			data = append(data, name+"="+url.QueryEscape(val))
		case "-H", "--header":
			v, err := next()
			if err != nil {
				return nil, err
			}
			k, val, ok := strings.Cut(v, ":")
			if !ok {
				return nil, errors.New("curlline: -H needs 'Name: value'")
			}
			hdr.Add(strings.TrimSpace(k), strings.TrimSpace(val))
		case "-X", "--request":
			if method, err = next(); err != nil {
				return nil, err
			}
		default:
			if strings.HasPrefix(a, "-") {
				return nil, fmt.Errorf("curlline: option %s not supported", a)
			}
			if target != "" {
				return nil, errors.New("curlline: more than one URL")
			}
			target = a
		}
	}
	if target == "" {
		return nil, errors.New("curlline: no URL")
	}
	body := strings.Join(data, "&")
	if method == "" {
		method = http.MethodGet
		if data != nil {
			method = http.MethodPost
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, target, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	if data == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	return req, nil
}

// Lines returns the curl command lines of a text, in order: every line
// whose first word is curl, with any label before it ("Deliveries: curl
// …") removed.
func Lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if i := strings.Index(l, "curl "); i >= 0 {
			out = append(out, strings.TrimSpace(l[i:]))
		}
	}
	return out
}

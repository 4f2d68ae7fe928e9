package inexopay

import (
	"net/http"
	"net/url"
)

// Authenticator adds INEXOPAY credentials to a request. Authenticate is called
// once per call, before the first attempt, with the request's headers and the
// form that becomes its body; it may set either. An error it returns fails
// the call, as it is, before anything is sent. Implementations must be safe
// for concurrent use and must not log what they add.
type Authenticator interface {
	Authenticate(header http.Header, form url.Values) error
}

// credentials is the API key and username shared by both built-in
// authenticators. The key is held through a *string, which fmt prints as an
// address with every verb, so that not even reflection over unexported
// fields (printing a Client value, or an authenticator inside another
// struct, with %v, %+v or %s) can show it.
type credentials struct {
	key      *string
	username string
}

func newCredentials(apiKey, username string) credentials {
	return credentials{key: &apiKey, username: username}
}

func (c credentials) apiKey() string { return *c.key }

func (c credentials) check() error {
	if c.apiKey() == "" {
		return &ValidationError{Field: "apiKey", Reason: "is required"}
	}
	if c.username == "" {
		return &ValidationError{Field: "username", Reason: "is required"}
	}
	return nil
}

type bodyAuth struct{ credentials }

// BodyAuth returns an Authenticator that sends the credentials as the api_key
// and username form fields, as the API's own samples do. An empty key or
// username makes every call fail with a *ValidationError before any request is
// sent.
func BodyAuth(apiKey, username string) Authenticator {
	return bodyAuth{newCredentials(apiKey, username)}
}

// Authenticate implements Authenticator.
func (a bodyAuth) Authenticate(_ http.Header, form url.Values) error {
	if err := a.check(); err != nil {
		return err
	}
	form.Set("api_key", a.apiKey())
	form.Set("username", a.username)
	return nil
}

// String returns a description that never includes the API key.
func (a bodyAuth) String() string {
	return "inexopay.BodyAuth(username=" + a.username + ", api_key=[REDACTED])"
}

// GoString implements fmt.GoStringer with the key redacted.
func (a bodyAuth) GoString() string { return a.String() }

type headerAuth struct{ credentials }

// HeaderAuth returns an Authenticator that sends the credentials in the
// x-api-key and x-api-username headers and nothing in the body. An empty key
// or username makes every call fail with a *ValidationError before any request
// is sent.
func HeaderAuth(apiKey, username string) Authenticator {
	return headerAuth{newCredentials(apiKey, username)}
}

// Authenticate implements Authenticator.
func (a headerAuth) Authenticate(h http.Header, _ url.Values) error {
	if err := a.check(); err != nil {
		return err
	}
	h["X-Api-Key"] = []string{a.apiKey()}
	h["X-Api-Username"] = []string{a.username}
	return nil
}

// String returns a description that never includes the API key.
func (a headerAuth) String() string {
	return "inexopay.HeaderAuth(username=" + a.username + ", api_key=[REDACTED])"
}

// GoString implements fmt.GoStringer with the key redacted.
func (a headerAuth) GoString() string { return a.String() }

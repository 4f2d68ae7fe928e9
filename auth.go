package inexopay

import (
	"net/http"
	"net/url"
	"strings"
)

// Authenticator adds credentials to the headers or form of a request, once
// per call before sending; its error fails the call. It must be safe for
// concurrent use and log nothing it adds.
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
	// ctor is the constructor the caller used ("BodyAuth", "HeaderAuth"),
	// to name the argument in an error.
	ctor string
}

// newCredentials trims white space around the key and username (a key read
// from a file often ends with a newline; neither ever starts or ends with a
// space).
func newCredentials(ctor, apiKey, username string) credentials {
	apiKey = strings.TrimSpace(apiKey)
	return credentials{key: &apiKey, username: strings.TrimSpace(username), ctor: ctor}
}

func (c credentials) apiKey() string { return *c.key }

// check reports an empty key or username as a [*ValidationError] naming the
// argument as the caller wrote it.
func (c credentials) check() error {
	if c.apiKey() == "" {
		return &ValidationError{Field: "apiKey", Reason: "is empty: the first argument of " + c.ctor +
			" must be the API key from the INEXOPAY dashboard"}
	}
	if c.username == "" {
		return &ValidationError{Field: "username", Reason: "is empty: the second argument of " + c.ctor +
			" must be your INEXOPAY username"}
	}
	return nil
}

// checkAuth lets [NewClient] refuse the built-in authenticators' empty
// credentials at once rather than at the first call.
func checkAuth(a Authenticator) error {
	if c, ok := a.(interface{ check() error }); ok {
		return c.check()
	}
	return nil
}

type bodyAuth struct{ credentials }

// BodyAuth returns an Authenticator that sends the credentials as the
// api_key and username form fields, which every host documents. Both are
// trimmed; an empty one makes [NewClient] fail with a [*ValidationError].
func BodyAuth(apiKey, username string) Authenticator {
	return bodyAuth{newCredentials("BodyAuth", apiKey, username)}
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
// x-api-key and x-api-username headers, which only [BaseURLSecure]
// documents. Both are trimmed; an empty one makes [NewClient] fail.
func HeaderAuth(apiKey, username string) Authenticator {
	return headerAuth{newCredentials("HeaderAuth", apiKey, username)}
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

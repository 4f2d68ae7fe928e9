package inexopay

// The hosts that publish the INEXOPAY API, for [WithBaseURL]; all three
// describe the same calls.
const (
	// BaseURLSecure, the default, documents BodyAuth and HeaderAuth.
	BaseURLSecure = "https://secure.inexopay.in"
	// BaseURLMail is a newer portal; it documents BodyAuth only.
	BaseURLMail = "https://mail.inexopay.in"
	// BaseURLPanel is plain HTTP with BodyAuth only: the key crosses the
	// network unencrypted, so it needs WithInsecureHTTP.
	BaseURLPanel = "http://panel.inexopay.in"
)

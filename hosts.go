package inexopay

// The hosts that publish the INEXOPAY API, for [WithBaseURL]; all three
// describe the same calls.
const (
	// BaseURLSecure is the host whose documentation the SDK follows, and
	// the default. It documents both [BodyAuth] and [HeaderAuth].
	BaseURLSecure = "https://secure.inexopay.in"
	// BaseURLMail is a newer ("v2.0") portal that names itself the live
	// base URL. It documents body authentication only: use BodyAuth.
	BaseURLMail = "https://mail.inexopay.in"
	// BaseURLPanel is a plain-HTTP host documenting body authentication
	// only. The API key crosses the network unencrypted, so [NewClient]
	// refuses it unless [WithInsecureHTTP] is also given.
	BaseURLPanel = "http://panel.inexopay.in"
)

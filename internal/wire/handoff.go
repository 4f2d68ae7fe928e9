package wire

// HandOffer is an answer that gives a URL for the user's browser to
// follow on to NSDL: a success answer is usable only when that URL is one a
// browser can follow there (see internal/htmlform's HandOff).
type HandOffer interface {
	// HandOffURL returns the URL as the answer gives it ("" for none).
	HandOffURL() string
}

// HandOffURL implements HandOffer: data.url.
func (a *PANApplication) HandOffURL() string {
	if a.Data == nil {
		return ""
	}
	return string(a.Data.URL)
}

// HandOffURL implements HandOffer: data, the account opening page.
func (a *AccountOpening) HandOffURL() string { return string(a.Data) }

// HandOffURL implements HandOffer: account_url.
func (a *IncompleteAccount) HandOffURL() string { return string(a.AccountURL) }

package inexopay

import (
	"regexp"
	"strings"
)

// This file masks the free text a webhook brings into a printed event or a
// log line: the text itself is kept, with what looks like an Aadhaar
// number, a mobile number or a PAN masked (maskFreeText), and in log lines
// also the value after a secret-named word (maskLabelled), the values of
// the event's secret-named fields and the handler's token (webhookLogText).

var (
	// aadhaarRunRE is 12 digits, also written in groups of 4 with a space
	// or a dash between them.
	aadhaarRunRE = regexp.MustCompile(`\b[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}\b`)
	// mobileRunRE is an Indian mobile number: 10 digits starting 6-9 (a
	// Unix time in seconds, which starts 1, is not one).
	mobileRunRE = regexp.MustCompile(`\b[6-9][0-9]{9}\b`)
	// panRunRE is a PAN in any case.
	panRunRE = regexp.MustCompile(`(?i)\b[a-z]{5}[0-9]{4}[a-z]\b`)
	// labelledRE is a secret-named word, a separator (":", "=" or white
	// space) and the value after it.
	labelledRE = regexp.MustCompile(`(?i)\b(otp|m?pin|cvv|token|api[_-]?key|key|secret|passw(?:or)?d|pass|pwd)(\s*[:=]\s*|\s+)("?)([^\s"&,;()]+)`)
)

// maskFreeText returns s with every run that looks like an Aadhaar number,
// a mobile number or a PAN keeping only its last 4 characters; the rest of
// the text is kept.
func maskFreeText(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s // every run masked holds a digit
	}
	s = aadhaarRunRE.ReplaceAllStringFunc(s, MaskAadhaar)
	s = mobileRunRE.ReplaceAllStringFunc(s, MaskMobile)
	return panRunRE.ReplaceAllStringFunc(s, MaskPAN)
}

// maskLabelled returns s with the value after each secret-named word
// ("otp 482913", "key=sk_…", "token: …") shown as [REDACTED].
func maskLabelled(s string) string {
	return labelledRE.ReplaceAllString(s, "${1}${2}${3}"+redactedText)
}

// webhookLogText masks text for a log line of the handler: the handler's
// token and every value of ev's secret-named fields (in any spelling
// redactString knows), what looks like an Aadhaar number, mobile or PAN,
// and the value after a secret-named word.
func (h *webhookHandler) webhookLogText(ev *WebhookEvent, s string) string {
	var set secretSet
	if h.cfg.token != "" {
		set = set.with(secret{value: h.cfg.token, kind: secretText})
	}
	if ev != nil {
		for k, v := range ev.Fields.All() {
			switch webhookSecretKind(k) {
			case "":
			case "otp":
				sec := guessSecret(v)
				sec.keep = 0
				set = set.with(sec)
			default:
				set = set.with(guessSecret(v))
			}
		}
	}
	return maskLabelled(maskFreeText(set.clean(s)))
}

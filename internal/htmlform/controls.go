package htmlform

import "strings"

// What each form control adds to the fields a browser submits.

// submitControl returns the override of a submit control (tag "button" or
// "input") that names a formaction, formmethod or formenctype, and false
// for any other element. A <button> submits unless its type is button or reset.
func submitControl(tag string, attrs map[string]string) (*submitter, bool) {
	typ := strings.ToLower(strings.TrimSpace(attrs["type"]))
	switch {
	case tag == "button" && (typ == "button" || typ == "reset"):
		return nil, false
	case tag == "input" && typ != "submit" && typ != "image":
		return nil, false
	}
	a, hasAction := attrs["formaction"]
	m, hasMethod := attrs["formmethod"]
	enc, hasEnctype := attrs["formenctype"]
	if !hasAction && !hasMethod && !hasEnctype {
		return nil, false
	}
	return &submitter{action: a, method: m, enctype: enc, hasAction: hasAction, hasMethod: hasMethod,
		hasEnctype: hasEnctype}, true
}

// submitValue returns the name and value a named submit control (a
// <button> that submits, an <input> of type submit) adds to its form's
// fields when clicked, and false for any other element or a disabled one.
func submitValue(tag string, attrs map[string]string) (name, value string, ok bool) {
	typ := strings.ToLower(strings.TrimSpace(attrs["type"]))
	_, disabled := attrs["disabled"]
	switch {
	case disabled || attrs["name"] == "":
		return "", "", false
	case tag == "button" && typ != "button" && typ != "reset", tag == "input" && typ == "submit":
		return crlf(attrs["name"]), crlf(attrs["value"]), true
	}
	return "", "", false
}

// inputValue returns the name and value an <input> contributes to a form
// submitted by script, and false when it contributes nothing (no name; a
// button, image, reset or file input; an unchecked box). A hidden input
// named _charset_ (in any case) contributes the name of the submission's
// encoding, whatever its value, as the HTML standard has a browser do: the
// page the SDK hands the form on with (RedirectForm.WritePage) is UTF-8.
func inputValue(attrs map[string]string) (name, value string, ok bool) {
	name = attrs["name"]
	if name == "" {
		return "", "", false
	}
	value = attrs["value"]
	switch strings.ToLower(strings.TrimSpace(attrs["type"])) {
	case "submit", "button", "reset", "image", "file":
		return "", "", false
	case "checkbox", "radio":
		if _, checked := attrs["checked"]; !checked {
			return "", "", false
		}
		if _, has := attrs["value"]; !has {
			value = "on"
		}
	case "hidden":
		if strings.EqualFold(name, "_charset_") {
			value = "UTF-8"
		}
	case "text", "search", "tel", "url", "email", "password", "":
		// A browser strips line breaks from these.
		value = strings.NewReplacer("\r", "", "\n", "").Replace(value)
	}
	return name, value, true
}

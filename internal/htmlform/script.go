package htmlform

import (
	"slices"
	"strconv"
	"strings"
)

// autoSubmitted returns the forms that the scripts submit: for every call
// of .submit( or .requestSubmit(, the form its receiver names as
// document.forms[i], by id (getElementById, '#id') or by name (document.x,
// document.forms['x']), following one variable assignment.
func autoSubmitted(scripts []string, forms []*rawForm) []*rawForm {
	var picked []*rawForm
	add := func(f *rawForm) {
		if !slices.Contains(picked, f) {
			picked = append(picked, f)
		}
	}
	for _, s := range scripts {
		for _, call := range []string{".submit(", ".requestSubmit("} {
			rest := s
			for {
				i := strings.Index(rest, call)
				if i < 0 {
					break
				}
				recv := receiver(rest[:i])
				found := resolveForms(recv, forms)
				if len(found) == 0 && isIdent(recv) {
					found = resolveForms(assignment(s, recv), forms)
				}
				for _, f := range found {
					add(f)
				}
				rest = rest[i+len(call):]
			}
		}
	}
	return picked
}

// receiver returns the expression that ends a script fragment: the text
// after the last statement or block boundary.
func receiver(s string) string {
	if j := strings.LastIndexAny(s, ";{}\n"); j >= 0 {
		s = s[j+1:]
	}
	s = strings.TrimSpace(s)
	// "if (ok) document.f" or "return document.f": keep the last word group.
	if j := strings.LastIndexAny(s, " \t"); j >= 0 && !strings.ContainsAny(s[j:], "'\"`") {
		s = strings.TrimSpace(s[j+1:])
	}
	return s
}

// assignment returns the expression assigned to variable name in script,
// such as document.getElementById('f') for "var f = document.getElementById('f');".
func assignment(script, name string) string {
	for rest := script; ; {
		i := strings.Index(rest, name)
		if i < 0 {
			return ""
		}
		before := rest[:i]
		after := strings.TrimLeft(rest[i+len(name):], " \t")
		rest = rest[i+len(name):]
		if i > 0 && isIdentByte(before[len(before)-1]) {
			continue
		}
		if !strings.HasPrefix(after, "=") || strings.HasPrefix(after, "==") {
			continue
		}
		expr := after[1:]
		if j := strings.IndexAny(expr, ";\n"); j >= 0 {
			expr = expr[:j]
		}
		return strings.TrimSpace(expr)
	}
}

// resolveForms returns the forms an expression names.
func resolveForms(expr string, forms []*rawForm) []*rawForm {
	var out []*rawForm
	if expr == "" {
		return nil
	}
	byKey := func(k string) {
		for _, f := range forms {
			if k != "" && (f.id == k || f.name == k) && !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	// document.forms[0], document.forms['x'], getElementsByTagName('form')[0]
	if i := strings.Index(expr, "forms["); i >= 0 {
		idx := strings.TrimSpace(expr[i+len("forms["):])
		if j := strings.IndexByte(idx, ']'); j >= 0 {
			idx = strings.TrimSpace(idx[:j])
		}
		if n, err := strconv.Atoi(idx); err == nil {
			if n >= 0 && n < len(forms) {
				return []*rawForm{forms[n]}
			}
			return nil
		}
	}
	for _, q := range quoted(expr) {
		if q == "form" {
			if len(forms) > 0 && !slices.Contains(out, forms[0]) {
				out = append(out, forms[0])
			}
			continue
		}
		byKey(strings.TrimPrefix(q, "#"))
	}
	if len(out) > 0 {
		return out
	}
	// document.name, forms.name, window.id, or a bare id.
	for _, part := range strings.Split(expr, ".") {
		part = strings.TrimSpace(part)
		if isIdent(part) && part != "document" && part != "window" && part != "forms" {
			byKey(part)
		}
	}
	return out
}

// quoted returns the string literals in a script expression.
func quoted(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		q := s[i]
		if q != '\'' && q != '"' && q != '`' {
			continue
		}
		j := strings.IndexByte(s[i+1:], q)
		if j < 0 {
			break
		}
		out = append(out, s[i+1:i+1+j])
		i += j + 1
	}
	return out
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) || i == 0 && s[i] >= '0' && s[i] <= '9' {
			return false
		}
	}
	return true
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// navigates reports whether a script may send the browser somewhere other
// than its form's action, or otherwise than by its method and encoding: it
// assigns a form's action, method, enctype (or encoding) or target, or a
// submit control's formaction, formmethod, formenctype or formtarget
// (f.action = …, f["method"] = …, setAttribute("target", …)); it calls
// open (window.open(…), open(…), window["open"](…)); or it assigns the
// location, or a part of it other than the fragment (location = …,
// location.href = …, location["pathname"] = …, location.replace(…),
// location.assign(…)), whatever the object before it (window, document,
// top).
func navigates(script string) bool {
	for i := 0; i < len(script); i++ {
		if script[i] != '.' && script[i] != '[' {
			continue
		}
		name, after, ok := member(script[i:])
		switch {
		case !ok:
		case formSetting(name):
			if assigns(after) {
				return true
			}
		case name == "open":
			if calls(after) {
				return true
			}
		case name == "setAttribute":
			after = strings.TrimLeft(after, " \t\r\n")
			if q := quoted(after); strings.HasPrefix(after, "(") && len(q) > 0 && formSetting(strings.ToLower(q[0])) {
				return true
			}
		}
	}
	if eachWord(script, "open", calls) {
		return true
	}
	return eachWord(script, "location", func(rest string) bool {
		if assigns(rest) {
			return true
		}
		name, after, ok := member(rest)
		switch {
		case !ok:
			return false
		case name == "replace" || name == "assign":
			return calls(after)
		}
		return name != "hash" && assigns(after)
	})
}

// formSetting reports whether name is a property (or, in lower case, an
// attribute) of a form or submit control that says where or how it
// submits.
func formSetting(name string) bool {
	switch name {
	case "action", "method", "enctype", "encoding", "target",
		"formAction", "formMethod", "formEnctype", "formTarget",
		"formaction", "formmethod", "formenctype", "formtarget":
		return true
	}
	return false
}

// calls reports whether rest, the text after a name, calls it.
func calls(rest string) bool { return strings.HasPrefix(strings.TrimLeft(rest, " \t\r\n"), "(") }

// member reads the member access that starts s (after white space):
// ".name" or "['name']" (any quote), returning the name and the text after
// it.
func member(s string) (name, after string, ok bool) {
	const space = " \t\r\n"
	s = strings.TrimLeft(s, space)
	switch {
	case strings.HasPrefix(s, "."):
		s = strings.TrimLeft(s[1:], space)
		n := 0
		for n < len(s) && isIdentByte(s[n]) {
			n++
		}
		return s[:n], s[n:], n > 0
	case strings.HasPrefix(s, "["):
		s = strings.TrimLeft(s[1:], space)
		if s == "" || s[0] != '\'' && s[0] != '"' && s[0] != '`' {
			return "", "", false
		}
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return "", "", false
		}
		name, s = s[1:1+end], strings.TrimLeft(s[2+end:], space)
		if !strings.HasPrefix(s, "]") {
			return "", "", false
		}
		return name, s[1:], true
	}
	return "", "", false
}

// eachWord calls match with the text after every occurrence of word in s
// that is a whole word (no identifier byte before a word that starts with
// one, nor right after it), until match returns true.
func eachWord(s, word string, match func(rest string) bool) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		at := i + j
		end := at + len(word)
		i = end
		if isIdentByte(word[0]) && at > 0 && isIdentByte(s[at-1]) || end < len(s) && isIdentByte(s[end]) {
			continue
		}
		if match(s[end:]) {
			return true
		}
	}
}

// assigns reports whether rest, the text after a name, assigns to it:
// "= …" or "+= …", but not a comparison ("==") or an arrow ("=>").
func assigns(rest string) bool {
	rest = strings.TrimLeft(rest, " \t\r\n")
	rest = strings.TrimPrefix(rest, "+")
	return strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "==") && !strings.HasPrefix(rest, "=>")
}

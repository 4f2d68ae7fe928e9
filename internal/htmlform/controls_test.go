package htmlform

import "testing"

func TestSubmitValue(t *testing.T) {
	for _, tc := range []struct {
		tag   string
		attrs map[string]string
		ok    bool
	}{
		{"button", map[string]string{"name": "n", "value": "v"}, true},
		{"button", map[string]string{"name": "n", "type": " SUBMIT "}, true},
		{"button", map[string]string{"name": "n", "type": "button"}, false},
		{"button", map[string]string{"name": "n", "type": "reset"}, false},
		{"button", map[string]string{"value": "v"}, false},
		{"button", map[string]string{"name": "n", "disabled": ""}, false},
		{"input", map[string]string{"name": "n", "type": "submit", "value": "v"}, true},
		{"input", map[string]string{"name": "n", "type": "image"}, false},
		{"input", map[string]string{"name": "n", "value": "v"}, false},
	} {
		name, value, ok := submitValue(tc.tag, tc.attrs)
		if ok != tc.ok || ok && (name != tc.attrs["name"] || value != tc.attrs["value"]) {
			t.Errorf("submitValue(%s, %v) = %q, %q, %v", tc.tag, tc.attrs, name, value, ok)
		}
	}
}

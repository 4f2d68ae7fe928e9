package validate

import "testing"

func TestVerhoeff(t *testing.T) {
	for _, s := range []string{"2363", "236", "441003356445", "99999999999"} {
		t.Log(s, Verhoeff(s), string(VerhoeffDigit(s)))
	}
	if !Verhoeff("2363") || Verhoeff("2364") {
		t.Fatal("Verhoeff(2363) must hold and 2364 must not")
	}
	if d := VerhoeffDigit("236"); d != '3' {
		t.Fatalf("VerhoeffDigit(236) = %c, want 3", d)
	}
	for _, base := range []string{"23456789012", "98765432101", "50000000000"} {
		full := base + string(VerhoeffDigit(base))
		if !Verhoeff(full) {
			t.Fatalf("%s: generated digit does not verify", full)
		}
		for d := byte('0'); d <= '9'; d++ {
			if d != full[11] && Verhoeff(base+string(d)) {
				t.Fatalf("%s%c verifies too", base, d)
			}
		}
	}
}

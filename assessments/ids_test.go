package assessments

import (
	"strings"
	"testing"
)

func TestNewIDIsUnguessableShape(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewID()
		if !ValidID(id) || seen[id] {
			t.Fatalf("NewID() = %q: malformed or repeated", id)
		}
		seen[id] = true
	}
	for _, bad := range []string{"", "1", strings.Repeat("a", 25), strings.Repeat("a", 27), strings.Repeat("u", 26), strings.Repeat("A", 26), "../../../../../../etc/pass"} {
		if ValidID(bad) {
			t.Errorf("ValidID(%q) = true", bad)
		}
	}
	if !ValidID(DemoResponseID) || !ValidID(demoPreviousID) || !ValidID(demoSeriesID) {
		t.Error("the demo IDs must have the shape of real ones")
	}
}

func TestResumeCode(t *testing.T) {
	for range 200 {
		code := NewResumeCode()
		if len(code) != 19 || strings.Count(code, "-") != 3 {
			t.Fatalf("code %q: want XXXX-XXXX-XXXX-XXXX", code)
		}
		norm, err := ParseResumeCode(code)
		if err != nil {
			t.Fatalf("ParseResumeCode(%q): %v", code, err)
		}
		if FormatCode(norm) != code {
			t.Errorf("FormatCode(%q) = %q, want %q", norm, FormatCode(norm), code)
		}
		// Typed loosely: lowercase, spaces instead of hyphens.
		if n2, err := ParseResumeCode(" " + strings.ToLower(strings.ReplaceAll(code, "-", " ")) + " "); err != nil || n2 != norm {
			t.Errorf("loose typing of %q: %q, %v", code, n2, err)
		}
		// Every single mistyped symbol is caught by the check symbol.
		for i := range len(norm) {
			for _, r := range codeAlphabet {
				if byte(r) == norm[i] {
					continue
				}
				typo := norm[:i] + string(r) + norm[i+1:]
				if _, err := ParseResumeCode(typo); err == nil {
					t.Fatalf("typo %q of %q passed the check", typo, norm)
				}
			}
		}
	}
}

func TestResumeCodeLookalikes(t *testing.T) {
	code := "0123-4567-89AB-CDEF"
	norm := strings.ReplaceAll(code, "-", "")
	norm = norm[:15] + string(codeAlphabet[luhnCheck([]byte(norm[:15]))])
	want, err := ParseResumeCode(norm)
	if err != nil {
		t.Fatal(err)
	}
	typed := "o" + strings.ToLower(norm[1:2]) + norm[2:]
	typed = strings.Replace(typed, "1", "l", 1)
	if got, err := ParseResumeCode(typed); err != nil || got != want {
		t.Errorf("ParseResumeCode(%q) = %q, %v; want %q", typed, got, err, want)
	}
	for _, bad := range []string{"", "ABCD", strings.Repeat("Z", 16), norm + "0", "ĐĐĐĐ-ĐĐĐĐ-ĐĐĐĐ-ĐĐĐĐ", strings.Repeat("-", 100)} {
		if _, err := ParseResumeCode(bad); err == nil {
			t.Errorf("ParseResumeCode(%q) accepted", bad)
		}
	}
}

// FuzzParseResumeCode feeds typed codes to the parser: it must never
// panic, and whatever it accepts must be a normalised code that formats and
// parses back to itself.
func FuzzParseResumeCode(f *testing.F) {
	for _, seed := range []string{NewResumeCode(), "abcd efgh jkmn pqrs", "OIL0-0000-0000-0000", "ĐĐĐĐ", "----", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		norm, err := ParseResumeCode(typed)
		if err != nil {
			return
		}
		if len(norm) != codeLen || !luhnValid([]byte(norm)) {
			t.Fatalf("accepted %q as %q", typed, norm)
		}
		if again, err := ParseResumeCode(FormatCode(norm)); err != nil || again != norm {
			t.Fatalf("%q does not round-trip: %q, %v", norm, again, err)
		}
	})
}

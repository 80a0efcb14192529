package assessments

import (
	"strings"
	"testing"

	"digiportal/content/codes"
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
		if len(code) != 17 || strings.Count(code, "-") != 2 {
			t.Fatalf("code %q: want XXXXX-XXXXX-XXXXX", code)
		}
		if strings.ContainsAny(code, "01ILO") {
			t.Fatalf("code %q holds a character people confuse", code)
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
		// Every single mistyped character is caught by the check character.
		for i := range len(norm) {
			for _, r := range codes.Alphabet + "01ILO" {
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

// legacyCode makes a code the way they were made before December 2026.
func legacyCode(body string) string {
	return body + string(legacyAlphabet[luhnCheck([]byte(body))])
}

// TestOlderResumeCodesStillOpen: codes handed out before the alphabet was
// shared, with 0 and 1 in them, read as they did then, to the same
// normalised form (and so the same stored hash).
func TestOlderResumeCodesStillOpen(t *testing.T) {
	norm := legacyCode("0123456789ABCDE")
	tests := []struct{ typed, want string }{
		{norm, norm},
		{FormatCode(norm), norm},
		{"0123-4567-89AB-CDE" + norm[15:], norm},
		// Crockford's look-alikes: O for 0, I and L for 1, any case.
		{"o" + "I" + strings.ToLower(norm[2:]), norm},
		{"OL23 4567 89ab cde" + strings.ToLower(norm[15:]), norm},
	}
	for _, tt := range tests {
		if got, err := ParseResumeCode(tt.typed); err != nil || got != tt.want {
			t.Errorf("ParseResumeCode(%q) = %q, %v; want %q", tt.typed, got, err, tt.want)
		}
	}
	if hashCode(norm) != hashCode(mustParse(t, strings.ToLower(FormatCode(norm)))) {
		t.Error("an older code typed loosely hashes differently")
	}
	if got := FormatCode(norm); got != "0123-4567-89AB-CDE"+norm[15:] {
		t.Errorf("FormatCode(older code) = %q, want it in fours as printed", got)
	}
	for _, bad := range []string{"", "ABCD", strings.Repeat("Z", 16), norm + "0", norm[:15], "ĐĐĐĐ-ĐĐĐĐ-ĐĐĐĐ-ĐĐĐĐ", strings.Repeat("-", 100), "U" + norm[1:]} {
		if _, err := ParseResumeCode(bad); err == nil {
			t.Errorf("ParseResumeCode(%q) accepted", bad)
		}
	}
}

func mustParse(t *testing.T, typed string) string {
	t.Helper()
	norm, err := ParseResumeCode(typed)
	if err != nil {
		t.Fatalf("ParseResumeCode(%q): %v", typed, err)
	}
	return norm
}

// FuzzParseResumeCode feeds typed codes to the parser: it must never
// panic, and whatever it accepts must be a normalised code that formats and
// parses back to itself.
func FuzzParseResumeCode(f *testing.F) {
	for _, seed := range []string{NewResumeCode(), "abcde fghjk mnpqr", "abcd efgh jkmn pqrs", "OIL0-0000-0000-0000", "ĐĐĐĐ", "----", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		norm, err := ParseResumeCode(typed)
		if err != nil {
			return
		}
		_, errNew := codes.Parse(norm, codeLen)
		if errNew != nil && (len(norm) != legacyLen || !luhnValid([]byte(norm))) {
			t.Fatalf("accepted %q as %q", typed, norm)
		}
		if again, err := ParseResumeCode(FormatCode(norm)); err != nil || again != norm {
			t.Fatalf("%q does not round-trip: %q, %v", norm, again, err)
		}
	})
}

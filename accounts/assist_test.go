package accounts

import "testing"

// TestNormalizeCode: a code typed from a helper's screen reads as the code
// itself, whatever the case, the dashes and spaces between its groups, or
// a zero or a one typed for the letters they look like.
func TestNormalizeCode(t *testing.T) {
	for typed, want := range map[string]string{
		"abcd-efgh-2345-67kx":    "abcdefgh234567kx",
		" ABCD EFGH-2345 67KX ":  "abcdefgh234567kx",
		"h0me-1ake-2345-67kx":    "homelake234567kx",
		"abcd\tefgh\t2345\t67kx": "abcdefgh234567kx",
	} {
		if got := NormalizeCode(typed); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", typed, got, want)
		}
	}
	if n := len(RandomToken(AssistCodeLen * 5 / 8)); n != AssistCodeLen {
		t.Errorf("a code of %d bytes has %d characters, want %d", AssistCodeLen*5/8, n, AssistCodeLen)
	}
}

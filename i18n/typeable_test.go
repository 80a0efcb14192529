package i18n

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzTypeable checks Typeable against its definition in terms of the
// unicode package: valid UTF-8 with no control character but tab, line
// feed and carriage return. What it accepts never holds a NUL byte, which
// PostgreSQL cannot store.
func FuzzTypeable(f *testing.F) {
	for _, s := range []string{"", "Hoa", "Số hộ tăng\r\n\tgấp đôi", "a\x00b", "\x1b[31m", "\x7f", "\u0085", "\u009f", "\u00a0", "\xff", "\xed\xa0\x80", "\ufffd", "🙂"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := utf8.ValidString(s)
		for _, c := range s {
			if unicode.IsControl(c) && c != '\t' && c != '\n' && c != '\r' {
				want = false
			}
		}
		if got := Typeable(s); got != want {
			t.Errorf("Typeable(%q) = %v, want %v", s, got, want)
		}
		if Typeable(s) && strings.ContainsRune(s, 0) {
			t.Errorf("Typeable(%q) accepts a NUL byte", s)
		}
	})
}

func TestInvisible(t *testing.T) {
	for s, want := range map[string]bool{
		"Xã Long Sơn, tổ 3":     false,
		"line\nbreak\tand tab":  false, // control characters are Typeable's business
		"gov\u202e.vn":          true,  // right-to-left override
		"zero\u200bwidth":       true,
		"\ufeffbom":             true,
		"private \ue000 use":    true,
		"line\u2028separator":   true,
		"paragraph\u2029break":  true,
		"isolate \u2066x\u2069": true,
		"":                      false,
	} {
		if got := Invisible(s); got != want {
			t.Errorf("Invisible(%q) = %v, want %v", s, got, want)
		}
	}
}

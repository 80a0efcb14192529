package i18n

import (
	"unicode"
	"unicode/utf8"
)

// Typeable reports whether s is text a person could have typed: UTF-8
// without control characters (C0, DEL, C1), except the tab, line feed and
// carriage return that text areas send and spreadsheet cells hold. Such
// characters come along when text is pasted from another program; shown
// on a page they do nothing or worse (an escape code), and PostgreSQL
// cannot even store a NUL byte. Forms, addresses and imported files are
// all checked with this one test.
func Typeable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		switch {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			return false
		case c >= 0x7f && c <= 0x9f:
			return false
		}
	}
	return true
}

// Invisible reports whether s holds a character that is not drawn but
// changes what is shown around it: bidirectional overrides and isolates
// (which can turn "gov.vn" or the rest of a line round on screen, in the
// audit log or in a spreadsheet), zero-width spaces and joiners, the byte
// order mark, private-use characters, and line or paragraph separators.
// Vietnamese and English need none of them; they come in with pasted
// text, and Typeable lets them through because they are not control
// characters. Text shown to others is checked with both.
func Invisible(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Cf, unicode.Co, unicode.Zl, unicode.Zp) {
			return true
		}
	}
	return false
}

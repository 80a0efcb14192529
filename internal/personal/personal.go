// Package personal recognises, in text people type, numbers that identify
// a person, so that the parts which must hold no such number (the teams'
// help log, classes and public help desks, a helper's reason for a reset)
// refuse them with one rule.
package personal

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// HoldsNumber reports whether s holds something shaped like a
// number that identifies a person: a citizen ID (12 digits), an old ID
// card (9 digits), or a phone number (10 digits starting with 0, or +84 or
// 84 and the rest), its digits perhaps grouped with spaces (a no-break
// space too), dots, dashes, slashes, brackets or underscores, and typed
// in full-width digits or any other form that NFKC makes ASCII digits.
// Text that must identify no one is refused when it holds one, rather than
// stored and cleaned later.
func HoldsNumber(s string) bool {
	for _, run := range digitRuns(s) {
		d := run.digits
		switch {
		case len(d) == 12, len(d) == 9:
			return true
		case len(d) == 10 && d[0] == '0':
			return true
		case run.plus && strings.HasPrefix(d, "84") && len(d) >= 10 && len(d) <= 12:
			return true
		case strings.HasPrefix(d, "84") && len(d) == 11:
			return true
		}
	}
	return false
}

type digitRun struct {
	digits string
	plus   bool // the run began with "+"
}

// digitRuns finds the runs of digits in s, a space, dot or dash between
// two digits joining them into one run.
func digitRuns(s string) []digitRun {
	var out []digitRun
	// Full-width "０９１２…" and other compatibility digits are digits: a
	// number typed so must not slip through to a public page.
	rs := []rune(norm.NFKC.String(s))
	for i := 0; i < len(rs); i++ {
		if !isDigit(rs[i]) {
			continue
		}
		var b strings.Builder
		plus := i > 0 && rs[i-1] == '+'
		j := i
		for j < len(rs) {
			if isDigit(rs[j]) {
				b.WriteRune(rs[j])
				j++
				continue
			}
			// Separators, one or a few, between two digits.
			k := j
			for k < len(rs) && k-j < 3 && joins(rs[k]) {
				k++
			}
			if k > j && k < len(rs) && isDigit(rs[k]) {
				j = k
				continue
			}
			break
		}
		out = append(out, digitRun{digits: b.String(), plus: plus})
		i = j
	}
	return out
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// joins reports whether r may stand between two groups of one number:
// any space (the no-break one a phone keyboard or a paste brings too), a
// dash of any kind, a dot, a slash, a bracket or an underscore, as in
// "(091) 234 5678", "0912/345/678" or "0912_345_678". A comma does not:
// "tổ 1, 2, 3" is a list.
func joins(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || strings.ContainsRune("./()_", r)
}

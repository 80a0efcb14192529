// Package findhelp finds today's communes and wards by name for the public
// "find help near you" pages (issue 21): a resident types a name with or
// without accents and gets the units valid today, each with its province.
// The names are folded once into memory per version of the unit data
// (Index), so a search is a pass over short precomputed strings, with no
// database work but one settings read.
package findhelp

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"digiportal/i18n"
)

// Bounds of a search.
const (
	MaxQuery   = 80 // characters of a query
	MaxWords   = 8  // words of a query that count
	MaxResults = 15 // results shown; more asks the visitor to refine
)

// Refusals of a query.
var (
	ErrQueryLong      = errors.New("findhelp: query too long")
	ErrQueryInvisible = errors.New("findhelp: query holds control or invisible characters")
)

// Query is a search as typed and as compared.
type Query struct {
	Text   string   // as typed, trimmed: shown back in the form
	Folded string   // lower case, without accents, words joined by one space
	Words  []string // the folded words, in order, at most MaxWords
}

// Empty reports whether the query has no word to look for.
func (q Query) Empty() bool { return len(q.Words) == 0 }

// ParseQuery reads a typed query: at most MaxQuery characters, with no
// control or invisible character (a line break pasted in, a zero-width
// space), folded (i18n.Fold: "Phường Ba Đình", "phuong ba dinh" and
// "BA ĐÌNH" compare alike) and cut into words at anything that is neither
// a letter nor a digit, so "Ba Đình," and "Ba-Đình" find Ba Đình too.
func ParseQuery(raw string) (Query, error) {
	// A pasted page is refused before any work on it; a letter with two
	// combining accents takes 5 bytes, so MaxQuery of them still pass.
	if len(raw) > 8*MaxQuery {
		return Query{}, ErrQueryLong
	}
	// Composed first: "Vũng Tàu" typed with combining accents (as some
	// keyboards and pastes send it) has more code points than the same
	// name composed, and must fit the same bound.
	text := strings.TrimSpace(raw)
	if utf8.ValidString(text) {
		text = norm.NFC.String(text)
	}
	if utf8.RuneCountInString(text) > MaxQuery {
		return Query{}, ErrQueryLong
	}
	if !utf8.ValidString(text) || strings.IndexFunc(text, unicode.IsControl) >= 0 || i18n.Invisible(text) {
		return Query{}, ErrQueryInvisible
	}
	words := Words(text)
	if len(words) > MaxWords {
		words = words[:MaxWords]
	}
	return Query{Text: text, Folded: strings.Join(words, " "), Words: words}, nil
}

// Words folds s and cuts it into words of letters and digits.
func Words(s string) []string {
	return strings.FieldsFunc(i18n.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

package findhelp

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestParseQuery: a name typed with or without accents, in any case, with
// đ or d, with stray punctuation or spaces, folds to the same words; a
// query too long or holding a control or invisible character is refused.
func TestParseQuery(t *testing.T) {
	for _, raw := range []string{"Phuong Ba Dinh", "phường ba đình", "  PHƯỜNG   BA ĐÌNH ", "Phường Ba-Đình,", "PHUONG BA ĐINH"} {
		q, err := ParseQuery(raw)
		if err != nil || q.Folded != "phuong ba dinh" || !slices.Equal(q.Words, []string{"phuong", "ba", "dinh"}) {
			t.Errorf("ParseQuery(%q) = %+v %v, want phuong ba dinh", raw, q, err)
		}
	}
	for _, raw := range []string{"ba dinh", "BA ĐÌNH", "Ba Đình"} {
		if q, err := ParseQuery(raw); err != nil || q.Folded != "ba dinh" {
			t.Errorf("ParseQuery(%q) = %+v %v, want ba dinh", raw, q, err)
		}
	}
	if q, _ := ParseQuery(" Ba Đình "); q.Text != "Ba Đình" {
		t.Errorf("the query shown back: %q, want it as typed, trimmed", q.Text)
	}
	for _, raw := range []string{"", "   ", "-- ,"} {
		if q, err := ParseQuery(raw); err != nil || !q.Empty() {
			t.Errorf("ParseQuery(%q) = %+v %v, want an empty query", raw, q, err)
		}
	}
	if q, _ := ParseQuery(strings.Repeat("a ", 20)); len(q.Words) != MaxWords {
		t.Errorf("20 words kept %d, want %d", len(q.Words), MaxWords)
	}
	for _, raw := range []string{strings.Repeat("đ", MaxQuery+1), strings.Repeat("x", 10_000)} {
		if _, err := ParseQuery(raw); !errors.Is(err, ErrQueryLong) {
			t.Errorf("a query of %d characters: %v, want ErrQueryLong", utf8.RuneCountInString(raw), err)
		}
	}
	// A name of MaxQuery characters typed decomposed (a letter, then its
	// combining accents) fits as it does composed, and is shown composed.
	nfd := strings.Repeat("e\u0302\u0301", MaxQuery) // "ế" decomposed
	if q, err := ParseQuery(nfd); err != nil || q.Text != strings.Repeat("ế", MaxQuery) || q.Folded != strings.Repeat("e", MaxQuery) {
		t.Errorf("%d decomposed letters: %+v %v, want accepted and composed", MaxQuery, q, err)
	}
	if _, err := ParseQuery(strings.Repeat("đ", MaxQuery)); err != nil {
		t.Errorf("a query of exactly %d characters: %v", MaxQuery, err)
	}
	for _, raw := range []string{"Ba\u200bĐình", "Ba\nĐình", "Ba\x00Đình", "\u202eBa Đình", "Ba\xffĐình"} {
		if _, err := ParseQuery(raw); !errors.Is(err, ErrQueryInvisible) {
			t.Errorf("ParseQuery(%q): %v, want ErrQueryInvisible", raw, err)
		}
	}
}

// FuzzParseQuery: whatever is typed, a query is refused or comes out
// bounded, in lower-case words of letters and digits with no accent and
// no đ, the folded form being its words joined by one space; and parsing
// the folded form again gives the same words.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"Phường Ba Đình", "ba dinh", "BA ĐÌNH", "Xã Đất Đỏ", "a\u200bb", "26506", "  ", "Ǆ ǅ ǆ", "İstanbul", "ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := ParseQuery(raw)
		if err != nil {
			if !errors.Is(err, ErrQueryLong) && !errors.Is(err, ErrQueryInvisible) {
				t.Fatalf("ParseQuery(%q): unknown refusal %v", raw, err)
			}
			return
		}
		if utf8.RuneCountInString(q.Text) > MaxQuery || len(q.Words) > MaxWords {
			t.Fatalf("ParseQuery(%q) is not bounded: %+v", raw, q)
		}
		if q.Folded != strings.Join(q.Words, " ") {
			t.Fatalf("ParseQuery(%q): folded %q is not its words %q", raw, q.Folded, q.Words)
		}
		for _, w := range q.Words {
			if w == "" {
				t.Fatalf("ParseQuery(%q): an empty word", raw)
			}
			for _, r := range w {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == 'đ' || r == 'Đ' {
					t.Fatalf("ParseQuery(%q): word %q holds %q", raw, w, r)
				}
			}
		}
		again, err := ParseQuery(q.Folded)
		if err != nil || again.Folded != q.Folded {
			t.Fatalf("ParseQuery(%q) folded %q, which parses to %+v %v", raw, q.Folded, again, err)
		}
	})
}

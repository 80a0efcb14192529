package indicators

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// englishKinds are the standard forms that begin a unit's official name,
// longest first, with the English word for each. The statistics office
// publishes English names only for some units (the column Tên Tiếng Anh);
// the others are named as the office's English names are: the name
// without diacritics, then the kind ("Phường Bến Thành" → "Ben Thanh
// Ward"), or the kind first when the name is a number ("Quận 1" →
// "District 1").
var englishKinds = [...]struct{ vi, en string }{
	{"Thành phố ", "City"},
	{"Thị trấn ", "Township"},
	{"Đặc khu ", "Special Zone"},
	{"Thị xã ", "Town"},
	{"Phường ", "Ward"},
	{"Huyện ", "District"},
	{"Quận ", "District"},
	{"Tỉnh ", "Province"},
	{"Xã ", "Commune"},
}

// EnglishName derives the English name of a unit from its official
// Vietnamese name, or returns "" when the name does not begin with one of
// the standard forms (the name then stays Vietnamese).
func EnglishName(name string) string {
	// A unit list typed with decomposed diacritics (Unikey's "Unicode tổ
	// hợp", files saved on a Mac) or with a no-break space after the kind
	// names the same units.
	name = strings.Join(strings.Fields(norm.NFC.String(name)), " ")
	for _, k := range englishKinds {
		rest, ok := strings.CutPrefix(name, k.vi)
		rest = strings.TrimSpace(rest)
		if !ok || rest == "" {
			continue
		}
		rest = withoutDiacritics(rest)
		if strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
			return k.en + " " + rest
		}
		return rest + " " + k.en
	}
	return ""
}

// withoutDiacritics removes Vietnamese diacritics and keeps the case:
// "Bến Thành" → "Ben Thanh", "Đặc" → "Dac".
func withoutDiacritics(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ':
			r = 'd'
		case r == 'Đ':
			r = 'D'
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

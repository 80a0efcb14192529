package content

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"digiportal/i18n"
)

// verdicts are the words with which a quiz explanation may open to say
// whether the answer was right. The lesson page already says that before
// every explanation ("Đúng rồi." or "Chưa đúng."), so a reader would hear it
// twice ("Chưa đúng. Sai. …"); withoutVerdicts takes these words off when
// the lessons load (after validation, which still wants every explanation
// written). Longer phrases come first, so "Đúng rồi" is not read as
// "Đúng". They are patterns to remove, never shown.
var verdicts = map[i18n.Lang][]string{
	i18n.VI: {"Đúng rồi", "Chưa đúng", "Không đúng", "Chính xác", "Đúng", "Sai"},
	i18n.EN: {"Not right", "Not quite", "Incorrect", "Correct", "Right", "Wrong"},
}

// verdictJoin is the word that ties a verdict to what follows, as in "Sai
// và nguy hiểm." ("Wrong and dangerous."), which becomes "Nguy hiểm."
var verdictJoin = map[i18n.Lang]string{i18n.VI: " và ", i18n.EN: " and "}

// withoutVerdicts returns a copy of quiz whose explanations do not open
// with a verdict. An explanation that is nothing but a verdict ("Không
// đúng.") would become empty; validation refuses those, since a reader who
// chose wrong needs to learn why.
func withoutVerdicts(lang i18n.Lang, quiz []Question) []Question {
	out := make([]Question, len(quiz))
	for i, q := range quiz {
		q.Options = slices.Clone(q.Options)
		for j := range q.Options {
			q.Options[j].Explanation = dropVerdict(lang, q.Options[j].Explanation)
		}
		out[i] = q
	}
	return out
}

// dropVerdict returns an explanation without the verdict it opens with:
// "Sai. Không bao giờ…" gives "Không bao giờ…" and "Sai và nguy hiểm. …"
// gives "Nguy hiểm. …". Any other explanation is returned as it is.
func dropVerdict(lang i18n.Lang, s string) string {
	s = strings.TrimSpace(s)
	for _, v := range verdicts[lang] {
		rest, ok := strings.CutPrefix(s, v)
		if !ok {
			continue
		}
		if r, ok := strings.CutPrefix(rest, verdictJoin[lang]); ok {
			return upperFirst(strings.TrimSpace(r))
		}
		if strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "!") {
			return strings.TrimSpace(rest[1:])
		}
		return s // "Sai lầm…", "Rightly…": a word that only starts alike
	}
	return s
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

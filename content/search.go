package content

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"digiportal/i18n"
)

// words folds s and splits it into words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(i18n.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// joinedWords returns the words written with hyphens inside them, joined:
// "Wi-Fi" gives "wifi" and "e-invoice" "einvoice", so that a query typed
// either way finds them.
func joinedWords(s string) []string {
	var out []string
	for _, f := range strings.Fields(i18n.Fold(s)) {
		f = strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if !strings.Contains(f, "-") {
			continue
		}
		if j := strings.ReplaceAll(f, "-", ""); j != "" && len(words(j)) == 1 {
			out = append(out, j)
		}
	}
	return out
}

// singulars returns the English words of ws that end in a plural s
// without it ("scams" gives "scam"), so that "scam" finds a lesson on
// "scams" as a whole word, not as the start of one. A word ending in "ss"
// ("address") or of three letters or fewer ("bus") is no plural of this
// kind; a wrong guess ("thi" from "this") only adds a word nobody types.
func singulars(ws []string) []string {
	var out []string
	for _, w := range ws {
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			out = append(out, w[:len(w)-1])
		}
	}
	return out
}

// stopWords are words of a question that say nothing about its subject
// ("how do I…", "làm thế nào để…"), folded, per language. They are dropped
// from a query unless it has nothing else, so a question typed as a
// sentence still finds the lesson; the phrase bonus still sees them. Folded
// words that are also subjects are left out on purpose: "ma" (mã: a code),
// "cho" (chợ: market), "can" (căn cước), "the" (thẻ: card), "sao" (bản sao).
var stopWords = map[i18n.Lang]map[string]bool{
	i18n.VI: setOf("cach", "lam", "nao", "nhu", "gi", "la", "toi", "muon", "de", "va", "cua", "o",
		"voi", "nhung", "cac", "mot", "duoc", "khong", "phai", "tren", "hay", "hoac", "khi", "giup", "em"),
	i18n.EN: setOf("how", "do", "i", "a", "an", "of", "on", "in", "for", "with", "what", "is", "my",
		"and", "to", "me", "does", "where", "the", "can", "you", "your"),
}

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// queryWords are the words of a query worth matching: stop words of lang
// dropped unless nothing else is left.
func queryWords(lang i18n.Lang, qs []string) []string {
	var out []string
	for _, q := range qs {
		if !stopWords[lang][q] {
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		return qs
	}
	return out
}

// Limits on a query, so that a pasted page makes search neither slow nor
// heavy: MaxQueryBytes bounds what is searched for and what the search page
// shows back.
const (
	MaxQueryBytes = 200
	maxQueryWords = 12
)

// Index searches lessons in memory: the content is embedded and small (tens
// of lessons), so this is fast on either database and needs neither.
type Index struct {
	docs map[i18n.Lang][]searchDoc
}

type searchDoc struct {
	lesson                  *Lesson
	slug                    []string // the words of the lesson's address
	title, summary, body    []string // the words, then hyphenated words joined
	titleP, summaryP, bodyP string   // the words joined by single spaces, for phrases
}

func newIndex(lessons []*Lesson) *Index {
	ix := &Index{docs: map[i18n.Lang][]searchDoc{}}
	for _, lang := range i18n.Langs() {
		for _, l := range lessons {
			t := l.In(lang)
			d := searchDoc{lesson: l, slug: words(l.Slug), title: words(t.Title), summary: words(t.Summary), body: words(t.Plain)}
			d.titleP, d.summaryP, d.bodyP = " "+strings.Join(d.title, " ")+" ", " "+strings.Join(d.summary, " ")+" ", " "+strings.Join(d.body, " ")+" "
			d.title = append(d.title, joinedWords(t.Title)...)
			d.summary = append(d.summary, joinedWords(t.Summary)...)
			d.body = append(d.body, joinedWords(t.Plain)...)
			if lang == i18n.EN {
				d.title = append(d.title, singulars(d.title)...)
				d.summary = append(d.summary, singulars(d.summary)...)
				d.body = append(d.body, singulars(d.body)...)
			}
			ix.docs[lang] = append(ix.docs[lang], d)
		}
	}
	return ix
}

// Hit is one lesson found.
type Hit struct {
	Lesson *Lesson
	Score  int
}

// Results is the answer to a search.
type Results struct {
	Query string // the words searched for, folded
	Hits  []Hit
	// Partial: no lesson holds every word, so these hold some of them.
	Partial bool
	// OtherLang: nothing matched in the asked language, so these matched
	// the lessons' text in the other one (a Vietnamese query on an English
	// page, say).
	OtherLang bool
}

// Search finds the lessons whose title, summary or body hold every word of
// q, ignoring case and diacritics. Whole words come first: only when no
// lesson holds every word whole may the last word, if it has at least
// MinPrefixLetters letters, match the start of a longer word (the reader
// may not have finished typing it). Without that rule "dan" would find
// "danh" and put "định danh" above "đường dẫn". Title matches rank first,
// then summary, then body; the words as a phrase rank above the words
// apart. When no lesson in lang holds every word, Search tries the other
// language's text, then lessons that hold some of the words.
func (lib *Library) Search(lang i18n.Lang, q string) Results {
	all := words(TrimQuery(q))
	if len(all) > maxQueryWords {
		all = all[:maxQueryWords]
	}
	res := Results{Query: strings.Join(all, " ")}
	if len(all) == 0 {
		return res
	}
	qs := queryWords(lang, all)
	phrase := " " + res.Query + " "
	for _, try := range []struct {
		lang   i18n.Lang
		prefix bool
	}{{lang, false}, {lang, true}, {lang.Other(), false}, {lang.Other(), true}} {
		if res.Hits = lib.index.search(try.lang, qs, phrase, true, try.prefix); len(res.Hits) > 0 {
			res.OtherLang = try.lang != lang
			return res
		}
	}
	res.Hits = lib.index.search(lang, qs, phrase, false, true)
	res.Partial = len(res.Hits) > 0
	return res
}

// TrimQuery cuts q to MaxQueryBytes, between two characters.
func TrimQuery(q string) string {
	if len(q) <= MaxQueryBytes {
		return q
	}
	// Back up while the first byte left out continues a character.
	i := MaxQueryBytes
	for i > 0 && !utf8Start(q[i]) {
		i--
	}
	return q[:i]
}

// utf8Start reports whether b may begin a UTF-8 sequence, to cut a query
// between characters.
func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// Weights of where a word is found. A whole word counts more than the
// beginning of one; a title word outweighs any number of summary and body
// words (a query has at most maxQueryWords words).
const (
	weightTitle   = 1000
	weightSummary = 40
	weightBody    = 2
	// weightSlug counts a word of the lesson's address, which its writers
	// chose to name its subject in a few Vietnamese words: between two
	// titles that both hold the words ("…trên Cổng Dịch vụ công"), the
	// lesson named dich-vu-cong-… is the one about it. Below a title word,
	// above everything else.
	weightSlug = 100
	// weightBodyPhrase counts each time a body says the words together, up
	// to maxPhraseCount times: of two lessons with the words in their
	// titles, the one whose text keeps coming back to them is more about
	// them. It stays far below a title word.
	weightBodyPhrase = 10
)

// maxPhraseCount caps how often a phrase in a body adds to the score, so a
// long lesson does not win by repetition alone.
const maxPhraseCount = 10

// MinPrefixLetters is the shortest unfinished last word that may match the
// start of longer words: shorter ones ("d", "da") begin too many.
const MinPrefixLetters = 3

// search scores the lessons of lang against the query words qs; all asks
// for lessons that hold every word, prefix lets the last word match the
// start of a word.
func (ix *Index) search(lang i18n.Lang, qs []string, phrase string, all, prefix bool) []Hit {
	bare := " " + strings.Join(qs, " ") + " "
	// The words written together, as in the address dichvucong.gov.vn for
	// "dich vu cong", count as the phrase.
	joined := ""
	if len(qs) > 1 {
		joined = " " + strings.Join(qs, "") + " "
	}
	var hits []Hit
	var matched []int
	for _, d := range ix.docs[lang] {
		score, n, inTitle := 0, 0, 0
		for i, q := range qs {
			// People type whole words, except perhaps the last one, which
			// they may still be typing: only it may match a word's start.
			prefix := prefix && i == len(qs)-1 && utf8.RuneCountInString(q) >= MinPrefixLetters
			t := fieldScore(d.title, q, prefix)
			s := t*weightTitle + fieldScore(d.summary, q, prefix)*weightSummary + fieldScore(d.body, q, prefix)*weightBody
			if s > 0 {
				s += fieldScore(d.slug, q, false) * weightSlug
			}
			if s > 0 {
				n++
			}
			if t > 0 {
				inTitle++
			}
			score += s
		}
		// Of two titles that hold the words, the shorter is more about them.
		if words := strings.Count(d.titleP, " ") - 1; words > 0 {
			score += weightTitle * inTitle / words
		}
		if n == 0 || (all && n < len(qs)) {
			continue
		}
		if strings.Count(phrase, " ") > 2 {
			// Several words: reward them side by side, as typed (stop
			// words included) or as the words that count.
			for _, f := range []struct {
				text   string
				weight int
			}{{d.titleP, 2 * weightTitle}, {d.summaryP, 2 * weightSummary}, {d.bodyP, weightBodyPhrase}} {
				n := max(strings.Count(f.text, phrase), strings.Count(f.text, bare))
				if joined != "" {
					n += strings.Count(f.text, joined)
				}
				score += f.weight * min(n, maxPhraseCount)
			}
		}
		hits = append(hits, Hit{Lesson: d.lesson, Score: score})
		matched = append(matched, n)
	}
	idx := make([]int, len(hits))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if matched[idx[a]] != matched[idx[b]] {
			return matched[idx[a]] > matched[idx[b]]
		}
		return hits[idx[a]].Score > hits[idx[b]].Score
	})
	out := make([]Hit, len(hits))
	for i, j := range idx {
		out[i] = hits[j]
	}
	return out
}

// fieldScore is 2 when a word of field equals q, 1 when one starts with q
// and prefix allows that, else 0.
func fieldScore(field []string, q string, prefix bool) int {
	best := 0
	for _, w := range field {
		if w == q {
			return 2
		}
		if prefix && best == 0 && strings.HasPrefix(w, q) {
			best = 1
		}
	}
	return best
}

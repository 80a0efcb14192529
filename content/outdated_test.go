package content

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// outdatedPhrasesFile lists what the portal must no longer say, with why.
const outdatedPhrasesFile = "testdata/outdated-phrases.txt"

// readableFiles are, relative to the repository root, the files whose text
// people read in either language.
var readableFiles = []struct{ dir, ext string }{
	{"content/lessons", ".md"},
	{"content", "catalog.toml"},
	{"payments", "fees.toml"},
	{"assessments/data", ".toml"},
	{"i18n/locales", ".toml"},
	{"server/templates", ".html"},
}

// outdatedPhrase is one line of the list: a phrase and why it must go.
type outdatedPhrase struct {
	text, why string
	line      int
}

// allowedContext lets one context holding a phrase stand in one file.
type allowedContext struct {
	file, text string
	line       int
	used       bool
}

// TestNoOutdatedPhrases fails on any phrase of outdated-phrases.txt in the
// lessons, the fee catalogue, the self-assessment data, the message files or
// the page templates, so that a corrected fact or wording cannot come back.
func TestNoOutdatedPhrases(t *testing.T) {
	phrases, allowed := readOutdatedPhrases(t, outdatedPhrasesFile)
	files := readableFilesUnder(t, "..")
	if len(files) < 40 {
		t.Fatalf("found only %d files to check; is the repository layout different?", len(files))
	}
	for _, file := range files {
		b, err := os.ReadFile(filepath.Join("..", file))
		if err != nil {
			t.Fatal(err)
		}
		text, lines := normalizeForPhrases(string(b))
		var ok [][2]int // ranges of allowed contexts
		for _, a := range allowed {
			if a.file != file {
				continue
			}
			for i := 0; ; {
				j := strings.Index(text[i:], a.text)
				if j < 0 {
					break
				}
				ok = append(ok, [2]int{i + j, i + j + len(a.text)})
				a.used = true
				i += j + 1
			}
		}
		for _, p := range phrases {
			for _, at := range phraseHits(text, p.text) {
				if slices.ContainsFunc(ok, func(r [2]int) bool { return r[0] <= at && at+len(p.text) <= r[1] }) {
					continue
				}
				t.Errorf("%s:%d: %q (%s:%d: %s)", file, lines[at], p.text, outdatedPhrasesFile, p.line, p.why)
			}
		}
	}
	for _, a := range allowed {
		if !a.used {
			t.Errorf("%s:%d: the allowed context %q is not in %s any more; remove the line", outdatedPhrasesFile, a.line, a.text, a.file)
		}
	}
}

// readOutdatedPhrases reads the list: "phrase # why" lines, "allow FILE |
// CONTEXT # why" lines, comments and blank lines.
func readOutdatedPhrases(t *testing.T, name string) ([]outdatedPhrase, []*allowedContext) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var phrases []outdatedPhrase
	var allowed []*allowedContext
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, why, found := strings.Cut(line, " # ")
		if !found || strings.TrimSpace(why) == "" {
			t.Fatalf("%s:%d: write the phrase, then \" # \" and why it must go", name, n)
		}
		if rest, ok := strings.CutPrefix(text, "allow "); ok {
			file, ctx, ok := strings.Cut(rest, " | ")
			if !ok {
				t.Fatalf("%s:%d: an allow line is \"allow FILE | CONTEXT # why\"", name, n)
			}
			norm, _ := normalizeForPhrases(ctx)
			allowed = append(allowed, &allowedContext{file: strings.TrimSpace(file), text: strings.TrimSpace(norm), line: n})
			continue
		}
		norm, _ := normalizeForPhrases(text)
		phrases = append(phrases, outdatedPhrase{text: strings.TrimSpace(norm), why: strings.TrimSpace(why), line: n})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(phrases) == 0 {
		t.Fatalf("%s lists no phrases", name)
	}
	return phrases, allowed
}

// readableFilesUnder returns the readable files under root, as slash paths
// relative to it, in a stable order.
func readableFilesUnder(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	for _, r := range readableFiles {
		err := filepath.WalkDir(filepath.Join(root, r.dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, r.ext) {
				return err
			}
			if r.dir == "content" && filepath.Dir(p) != filepath.Join(root, "content") {
				return nil // only the catalogue itself; lessons are listed above, fixtures are not content
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			out = append(out, filepath.ToSlash(rel))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// normalizeForPhrases lowers the case of s in NFC, drops Markdown's * and
// turns every run of white space into one space, so that a phrase matches
// across emphasis and line breaks; lines gives the line of s each byte of
// the result comes from.
func normalizeForPhrases(s string) (string, []int) {
	var b strings.Builder
	var lines []int
	line, space := 1, false
	for _, r := range norm.NFC.String(s) {
		switch {
		case r == '*':
		case unicode.IsSpace(r):
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
				lines = append(lines, line)
			}
			space = false
			n := b.Len()
			b.WriteRune(unicode.ToLower(r))
			for range b.Len() - n {
				lines = append(lines, line)
			}
		}
		if r == '\n' {
			line++
		}
	}
	return b.String(), lines
}

// phraseHits returns where phrase starts in text at the start of a word
// (so "state agenc" does not match "estate agency"); a phrase ending in a
// digit must also end a number ("unit=77" does not match "unit=779").
func phraseHits(text, phrase string) []int {
	var out []int
	for i := 0; ; {
		j := strings.Index(text[i:], phrase)
		if j < 0 {
			return out
		}
		at, end := i+j, i+j+len(phrase)
		i = at + 1
		if at > 0 && isWordRune(lastRune(text[:at])) && isWordRune(firstRune(phrase)) {
			continue
		}
		if end < len(text) && unicode.IsDigit(lastRune(phrase)) && unicode.IsDigit(firstRune(text[end:])) {
			continue
		}
		out = append(out, at)
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func lastRune(s string) rune {
	r := []rune(s)
	if len(r) == 0 {
		return 0
	}
	return r[len(r)-1]
}

// TestPhraseHits pins the matching rules the list relies on.
func TestPhraseHits(t *testing.T) {
	tests := []struct {
		text, phrase string
		want         int
	}{
		{"call a state agency", "state agenc", 1},
		{"two state agencies", "state agenc", 1},
		{"an estate agency", "state agenc", 0},
		{"dossiers and a dossier", "dossier", 2},
		{"?unit=77&x", "unit=77", 1},
		{"?unit=779", "unit=77", 0},
		{"đã huỷ", "huỷ", 1},
		{"thuỷ sản", "huỷ", 0},
	}
	for _, tt := range tests {
		if got := len(phraseHits(tt.text, tt.phrase)); got != tt.want {
			t.Errorf("phraseHits(%q, %q) found %d, want %d", tt.text, tt.phrase, got, tt.want)
		}
	}
	got, lines := normalizeForPhrases("A **Nghị  định**\n123/2020")
	if want := "a nghị định 123/2020"; got != want {
		t.Errorf("normalizeForPhrases = %q, want %q", got, want)
	}
	if len(lines) != len(got) || lines[len(lines)-1] != 2 {
		t.Errorf("lines = %v for %q, want one per byte, the last on line 2", lines, got)
	}
}

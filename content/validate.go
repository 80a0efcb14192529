package content

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"digiportal/i18n"
)

// Limits of a lesson, from the issue that asked for the lessons: short
// enough to read on a phone in one sitting, with a quiz that checks the
// main points without becoming an exam.
const (
	MinMinutes   = 3
	MaxMinutes   = 8
	MinQuestions = 3
	MaxQuestions = 5
	MinOptions   = 2
	MaxOptions   = 5
)

// buildLessons checks each lesson's two files, alone and against each
// other, renders their bodies and adds the lessons to lib.
func (ld *loader) buildLessons(lib *Library, drafts map[string]map[i18n.Lang]*draft) {
	known := linkTargets{lessons: map[string]bool{}, paths: map[string]bool{}}
	for slug := range drafts {
		known.lessons[slug] = true
	}
	for slug := range lib.paths {
		known.paths[slug] = true
	}
	for slug, byLang := range drafts {
		vi, en := byLang[i18n.VI], byLang[i18n.EN]
		ok := true
		for _, d := range []*draft{vi, en} {
			if d != nil && !ld.checkFile(lib, d) {
				ok = false
			}
		}
		if vi == nil || en == nil || !ok {
			continue
		}
		if !ld.checkTwins(vi, en) {
			continue
		}
		lesson := &Lesson{
			Slug: slug, Topic: vi.fm.Topic, Level: Level(vi.fm.Level), Minutes: vi.fm.Minutes,
			Competences: vi.fm.Competences, Order: vi.fm.Order,
			Text: map[i18n.Lang]*LessonText{},
		}
		media := ld.mediaOf(slug)
		shown := map[i18n.Lang][]string{}
		for _, d := range []*draft{vi, en} {
			doc, problems := renderMarkdown(d.body, d.lang, slug, media, known)
			for _, p := range problems {
				ld.problem(d.file, "%s", p)
			}
			shown[d.lang] = doc.images
			lesson.Text[d.lang] = &LessonText{
				Title: strings.TrimSpace(d.fm.Title), Summary: strings.TrimSpace(d.fm.Summary),
				Body: doc.html, Plain: doc.plain, Quiz: withoutVerdicts(d.lang, d.fm.Quiz),
			}
		}
		ld.checkPictures(slug, media, shown, en.file)
		lib.lessons[slug] = lesson
		lib.Lessons = append(lib.Lessons, lesson)
	}
}

// mediaOf lists the image files in a lesson's folder.
func (ld *loader) mediaOf(slug string) map[string]bool {
	out := map[string]bool{}
	entries, err := fs.ReadDir(ld.fsys, path.Join(LessonsDir, slug))
	if err != nil {
		return out
	}
	for _, e := range entries {
		if _, ok := imageTypes[strings.ToLower(path.Ext(e.Name()))]; ok && !e.IsDir() {
			out[e.Name()] = true
		}
	}
	return out
}

// checkPictures checks a lesson's pictures as files and as a set: each SVG
// passes checkSVG, one with words is named for its language, each picture
// is shown by one of the lesson's files, and both languages show as many
// pictures (a reader of either language needs the same help).
func (ld *loader) checkPictures(slug string, media map[string]bool, shown map[i18n.Lang][]string, enFile string) {
	used := map[string]bool{}
	for _, files := range shown {
		for _, f := range files {
			used[f] = true
		}
	}
	for _, name := range slices.Sorted(maps.Keys(media)) {
		file := path.Join(LessonsDir, slug, name)
		if !used[name] {
			ld.problem(file, "no lesson file shows this picture: show it or delete it")
		}
		if strings.ToLower(path.Ext(name)) != ".svg" {
			continue
		}
		b, err := fs.ReadFile(ld.fsys, file)
		if err != nil {
			ld.problem(file, "cannot read: %v", err)
			continue
		}
		info, problems := checkSVG(b)
		for _, p := range problems {
			ld.problem(file, "%s", p)
		}
		if _, ok := pictureLang(name); info.hasText && !ok {
			ld.problem(file, "the picture has words, so its name must end in the language of the words, such as -vi.svg or -en.svg")
		}
	}
	if nv, ne := len(shown[i18n.VI]), len(shown[i18n.EN]); nv != ne {
		ld.problem(enFile, "shows %d pictures, vi.md shows %d: both languages need the same pictures", ne, nv)
	}
}

// checkFile checks the rules one lesson file must meet on its own.
func (ld *loader) checkFile(lib *Library, d *draft) bool {
	before := len(ld.problems)
	fm := d.fm
	ld.nonEmpty(d.file, "title", fm.Title, "summary", fm.Summary)
	if _, ok := lib.topics[fm.Topic]; !ok {
		ld.problem(d.file, "topic %q is not a topic id in %s", fm.Topic, CatalogFile)
	}
	if !Level(fm.Level).Valid() {
		ld.problem(d.file, "level %d: want 1 (basic), 2 (intermediate) or 3 (advanced)", fm.Level)
	}
	if fm.Minutes < MinMinutes || fm.Minutes > MaxMinutes {
		ld.problem(d.file, "minutes %d: want %d to %d", fm.Minutes, MinMinutes, MaxMinutes)
	}
	if len(fm.Competences) == 0 {
		ld.problem(d.file, "competences: name at least one DigComp 2.2 code")
	}
	seen := map[string]bool{}
	for _, c := range fm.Competences {
		if !ValidCompetence(c) {
			ld.problem(d.file, "competence %q is not a DigComp 2.2 code (1.1–1.3, 2.1–2.6, 3.1–3.4, 4.1–4.4, 5.1–5.4)", c)
		}
		if seen[c] {
			ld.problem(d.file, "competence %q is listed twice", c)
		}
		seen[c] = true
	}
	if strings.TrimSpace(string(d.body)) == "" {
		ld.problem(d.file, "the body is empty")
	}
	ld.checkQuiz(d.file, d.lang, fm.Quiz)
	return len(ld.problems) == before
}

// checkQuiz checks one language's quiz: 3–5 questions, each with unique
// IDs, exactly one correct option and an explanation for every option that
// says why, not only whether the answer is right: the page says that already.
func (ld *loader) checkQuiz(file string, lang i18n.Lang, quiz []Question) {
	if len(quiz) < MinQuestions || len(quiz) > MaxQuestions {
		ld.problem(file, "quiz has %d questions: want %d to %d", len(quiz), MinQuestions, MaxQuestions)
	}
	qids := map[string]bool{}
	for i, q := range quiz {
		where := fmt.Sprintf("quiz[%d] %q", i, q.ID)
		if !slugPattern.MatchString(q.ID) {
			ld.problem(file, "%s: id must be lower-case letters, digits and hyphens", where)
		}
		if qids[q.ID] {
			ld.problem(file, "%s: duplicate question id", where)
		}
		qids[q.ID] = true
		if strings.TrimSpace(q.Text) == "" {
			ld.problem(file, "%s: text is empty", where)
		}
		if len(q.Options) < MinOptions || len(q.Options) > MaxOptions {
			ld.problem(file, "%s: %d options: want %d to %d", where, len(q.Options), MinOptions, MaxOptions)
		}
		oids := map[string]bool{}
		correct := 0
		for j, o := range q.Options {
			owhere := fmt.Sprintf("%s option[%d] %q", where, j, o.ID)
			if !slugPattern.MatchString(o.ID) {
				ld.problem(file, "%s: id must be lower-case letters, digits and hyphens", owhere)
			}
			if oids[o.ID] {
				ld.problem(file, "%s: duplicate option id", owhere)
			}
			oids[o.ID] = true
			if strings.TrimSpace(o.Text) == "" {
				ld.problem(file, "%s: text is empty", owhere)
			}
			if strings.TrimSpace(o.Explanation) == "" {
				ld.problem(file, "%s: explanation is empty (every option needs one)", owhere)
			} else if dropVerdict(lang, o.Explanation) == "" {
				ld.problem(file, "%s: explanation %q only says right or wrong; say why in a sentence", owhere, o.Explanation)
			}
			if o.Correct {
				correct++
			}
		}
		if correct != 1 {
			ld.problem(file, "%s: %d options marked correct, want exactly 1", where, correct)
		}
	}
}

// checkTwins checks that the Vietnamese and English files of a lesson
// agree on everything but their words.
func (ld *loader) checkTwins(vi, en *draft) bool {
	before := len(ld.problems)
	a, b := vi.fm, en.fm
	if a.Topic != b.Topic {
		ld.problem(en.file, "topic %q differs from vi.md's %q", b.Topic, a.Topic)
	}
	if a.Level != b.Level {
		ld.problem(en.file, "level %d differs from vi.md's %d", b.Level, a.Level)
	}
	if a.Minutes != b.Minutes {
		ld.problem(en.file, "minutes %d differs from vi.md's %d", b.Minutes, a.Minutes)
	}
	if a.Order != b.Order {
		ld.problem(en.file, "order %d differs from vi.md's %d", b.Order, a.Order)
	}
	if !slices.Equal(a.Competences, b.Competences) {
		ld.problem(en.file, "competences %v differ from vi.md's %v", b.Competences, a.Competences)
	}
	if quizShape(a.Quiz) != quizShape(b.Quiz) {
		ld.problem(en.file, "quiz structure %s differs from vi.md's %s (same question and option IDs in the same order, same correct answers)", quizShape(b.Quiz), quizShape(a.Quiz))
	}
	return len(ld.problems) == before
}

// quizShape writes a quiz's structure without its words, such as
// "q1[a b* c] q2[a* b]", for comparing two languages.
func quizShape(quiz []Question) string {
	var sb strings.Builder
	for i, q := range quiz {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(q.ID + "[")
		for j, o := range q.Options {
			if j > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(o.ID)
			if o.Correct {
				sb.WriteByte('*')
			}
		}
		sb.WriteByte(']')
	}
	return sb.String()
}

// checkPaths checks that every path lists existing lessons, each once.
func (ld *loader) checkPaths(lib *Library) {
	for _, p := range lib.Paths {
		where := fmt.Sprintf("%s: paths %q", CatalogFile, p.Slug)
		if len(p.Lessons) == 0 {
			ld.problem(where, "lists no lessons")
		}
		seen := map[string]bool{}
		for _, s := range p.Lessons {
			if seen[s] {
				ld.problem(where, "lists lesson %q twice", s)
			}
			seen[s] = true
			if _, ok := lib.lessons[s]; !ok {
				ld.problem(where, "lesson %q does not exist (or has problems of its own)", s)
			}
		}
	}
}

package content

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"digiportal/database"
	"digiportal/i18n"
)

// Level is how much a lesson asks of the learner.
type Level int

// The three levels a lesson may have.
const (
	LevelBasic        Level = 1
	LevelIntermediate Level = 2
	LevelAdvanced     Level = 3
)

// Valid reports whether l is one of the three levels.
func (l Level) Valid() bool { return l >= LevelBasic && l <= LevelAdvanced }

// Lesson is one lesson in both languages. Everything but the texts is the
// same in both, which validation enforces.
type Lesson struct {
	Slug        string
	Topic       string
	Level       Level
	Minutes     int
	Competences []string // DigComp 2.2 codes such as "2.1"
	Order       int
	Text        map[i18n.Lang]*LessonText
}

// In returns the lesson's text in lang.
func (l *Lesson) In(lang i18n.Lang) *LessonText { return l.Text[lang] }

// LessonText is a lesson in one language.
type LessonText struct {
	Title   string
	Summary string
	Body    template.HTML // rendered from Markdown with raw HTML off, but for language spans
	Plain   string        // the body as plain text, for search
	Quiz    []Question
}

// Question is one multiple-choice question of a lesson's quiz.
type Question struct {
	ID      string   `toml:"id"`
	Text    string   `toml:"text"`
	Options []Option `toml:"options"`
}

// Correct returns the ID of the question's correct option.
func (q Question) Correct() string {
	for _, o := range q.Options {
		if o.Correct {
			return o.ID
		}
	}
	return ""
}

// Option returns the option with id and whether there is one.
func (q Question) Option(id string) (Option, bool) {
	for _, o := range q.Options {
		if o.ID == id {
			return o, true
		}
	}
	return Option{}, false
}

// Option is one answer to a question, with why it is right or wrong.
type Option struct {
	ID          string `toml:"id"`
	Text        string `toml:"text"`
	Correct     bool   `toml:"correct"`
	Explanation string `toml:"explanation"`
}

// Topic groups lessons on the catalogue page.
type Topic struct {
	ID          string
	Order       int
	Name        map[i18n.Lang]string
	Description map[i18n.Lang]string
}

// Path is a learning path: lessons in order, with a certificate at the end.
type Path struct {
	Slug        string
	Order       int
	Name        map[i18n.Lang]string
	Description map[i18n.Lang]string
	Lessons     []string // lesson slugs, in the order to take them
}

// Library is the whole validated content: lessons, topics and paths, sorted
// for display, with a search index over both languages.
type Library struct {
	Topics  []*Topic
	Paths   []*Path
	Lessons []*Lesson // by topic order, then lesson order, then slug

	lessons map[string]*Lesson
	paths   map[string]*Path
	topics  map[string]*Topic
	index   *Index
	fsys    fs.FS // for the lessons' images
}

// Media returns an image from a lesson's folder and its content type, or
// database.ErrNotFound.
func (lib *Library) Media(slug, file string) ([]byte, string, error) {
	ctype, ok := imageTypes[strings.ToLower(path.Ext(file))]
	if _, known := lib.lessons[slug]; !known || !ok || strings.ContainsAny(file, "/\\") || strings.HasPrefix(file, ".") {
		return nil, "", fmt.Errorf("content.Media %s/%s: %w", slug, file, database.ErrNotFound)
	}
	b, err := fs.ReadFile(lib.fsys, path.Join(LessonsDir, slug, file))
	if err != nil {
		return nil, "", fmt.Errorf("content.Media %s/%s: %w", slug, file, database.ErrNotFound)
	}
	return b, ctype, nil
}

// Lesson returns the lesson with slug and whether there is one.
func (lib *Library) Lesson(slug string) (*Lesson, bool) {
	l, ok := lib.lessons[slug]
	return l, ok
}

// Path returns the learning path with slug and whether there is one.
func (lib *Library) Path(slug string) (*Path, bool) {
	p, ok := lib.paths[slug]
	return p, ok
}

// Topic returns the topic with id and whether there is one.
func (lib *Library) Topic(id string) (*Topic, bool) {
	t, ok := lib.topics[id]
	return t, ok
}

// LessonsOf returns the lessons of topic id in display order.
func (lib *Library) LessonsOf(topic string) []*Lesson {
	var out []*Lesson
	for _, l := range lib.Lessons {
		if l.Topic == topic {
			out = append(out, l)
		}
	}
	return out
}

// PathsWith returns the paths that include the lesson slug.
func (lib *Library) PathsWith(slug string) []*Path {
	var out []*Path
	for _, p := range lib.Paths {
		for _, s := range p.Lessons {
			if s == slug {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// competenceCodes are the 21 competences of DigComp 2.2 (the EU's Digital
// Competence Framework for Citizens, 2022), which Vietnam's Circular
// 02/2025/TT-BGDĐT adapts; lessons name the ones they build.
var competenceCodes = []string{
	"1.1", "1.2", "1.3",
	"2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
	"3.1", "3.2", "3.3", "3.4",
	"4.1", "4.2", "4.3", "4.4",
	"5.1", "5.2", "5.3", "5.4",
}

// Competences returns the DigComp 2.2 competence codes, in framework order.
func Competences() []string { return append([]string(nil), competenceCodes...) }

// ValidCompetence reports whether code is a DigComp 2.2 competence.
func ValidCompetence(code string) bool {
	for _, c := range competenceCodes {
		if c == code {
			return true
		}
	}
	return false
}

package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"digiportal/i18n"
)

// Problem is one way the content breaks a rule, with the file it is in.
// Problems are for the people who write lessons, so they are in English.
type Problem struct {
	File string
	Msg  string
}

func (p Problem) String() string { return p.File + ": " + p.Msg }

// ValidationError lists every problem found, so that a writer can fix them
// all in one go instead of one per start.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("content: %d problem(s):\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

// CatalogFile is the name of the topics and paths file at the root of the
// content tree; lessons live in LessonsDir/<slug>/vi.md and en.md.
const (
	CatalogFile = "catalog.toml"
	LessonsDir  = "lessons"
)

// slugPattern is what a lesson or path slug looks like: lower-case ASCII
// words joined by hyphens, as in URLs.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// reservedSlugs are URL segments under /{lang}/lessons/ that are pages of
// their own, so no lesson may take them.
var reservedSlugs = map[string]bool{"search": true}

// frontMatter is the TOML header of a lesson file.
type frontMatter struct {
	Title       string     `toml:"title"`
	Summary     string     `toml:"summary"`
	Topic       string     `toml:"topic"`
	Level       int        `toml:"level"`
	Minutes     int        `toml:"minutes"`
	Competences []string   `toml:"competences"`
	Order       int        `toml:"order"`
	Quiz        []Question `toml:"quiz"`
}

// catalogFile is the TOML of CatalogFile.
type catalogFile struct {
	Topics []struct {
		ID            string `toml:"id"`
		Order         int    `toml:"order"`
		NameVI        string `toml:"name_vi"`
		NameEN        string `toml:"name_en"`
		DescriptionVI string `toml:"description_vi"`
		DescriptionEN string `toml:"description_en"`
	} `toml:"topics"`
	Paths []struct {
		Slug          string   `toml:"slug"`
		Order         int      `toml:"order"`
		NameVI        string   `toml:"name_vi"`
		NameEN        string   `toml:"name_en"`
		DescriptionVI string   `toml:"description_vi"`
		DescriptionEN string   `toml:"description_en"`
		Lessons       []string `toml:"lessons"`
	} `toml:"paths"`
}

// loader collects problems while it reads a content tree.
type loader struct {
	fsys     fs.FS
	problems []Problem
}

func (ld *loader) problem(file, format string, args ...any) {
	ld.problems = append(ld.problems, Problem{File: file, Msg: fmt.Sprintf(format, args...)})
}

// Load reads, validates and renders the content tree in fsys (the embedded
// content in production, fixtures in tests). Any broken rule makes it fail
// with a *ValidationError listing every problem.
func Load(fsys fs.FS) (*Library, error) {
	ld := &loader{fsys: fsys}
	lib := &Library{
		lessons: map[string]*Lesson{},
		paths:   map[string]*Path{},
		topics:  map[string]*Topic{},
		fsys:    fsys,
	}
	ld.readCatalog(lib)
	drafts := ld.readLessons()
	ld.buildLessons(lib, drafts)
	ld.checkPaths(lib)
	if len(ld.problems) > 0 {
		return nil, &ValidationError{Problems: ld.problems}
	}
	sortLibrary(lib)
	lib.index = newIndex(lib.Lessons)
	return lib, nil
}

// readCatalog reads the topics and paths.
func (ld *loader) readCatalog(lib *Library) {
	b, err := fs.ReadFile(ld.fsys, CatalogFile)
	if err != nil {
		ld.problem(CatalogFile, "cannot read: %v", err)
		return
	}
	var cf catalogFile
	dec := toml.NewDecoder(bytes.NewReader(b)).DisallowUnknownFields()
	if err := dec.Decode(&cf); err != nil {
		ld.problem(CatalogFile, "TOML: %s", tomlError(err, 0))
		return
	}
	if len(cf.Topics) == 0 {
		ld.problem(CatalogFile, "no [[topics]]")
	}
	for i, t := range cf.Topics {
		where := fmt.Sprintf("%s: topics[%d] %q", CatalogFile, i, t.ID)
		switch {
		case !slugPattern.MatchString(t.ID):
			ld.problem(where, "id must be lower-case words joined by hyphens")
			continue
		case lib.topics[t.ID] != nil:
			ld.problem(where, "duplicate topic id")
			continue
		}
		ld.nonEmpty(where, "name_vi", t.NameVI, "name_en", t.NameEN, "description_vi", t.DescriptionVI, "description_en", t.DescriptionEN)
		topic := &Topic{
			ID: t.ID, Order: t.Order,
			Name:        map[i18n.Lang]string{i18n.VI: t.NameVI, i18n.EN: t.NameEN},
			Description: map[i18n.Lang]string{i18n.VI: t.DescriptionVI, i18n.EN: t.DescriptionEN},
		}
		lib.topics[t.ID] = topic
		lib.Topics = append(lib.Topics, topic)
	}
	for i, p := range cf.Paths {
		where := fmt.Sprintf("%s: paths[%d] %q", CatalogFile, i, p.Slug)
		switch {
		case !slugPattern.MatchString(p.Slug):
			ld.problem(where, "slug must be lower-case words joined by hyphens")
			continue
		case lib.paths[p.Slug] != nil:
			ld.problem(where, "duplicate path slug")
			continue
		}
		ld.nonEmpty(where, "name_vi", p.NameVI, "name_en", p.NameEN, "description_vi", p.DescriptionVI, "description_en", p.DescriptionEN)
		path := &Path{
			Slug: p.Slug, Order: p.Order, Lessons: p.Lessons,
			Name:        map[i18n.Lang]string{i18n.VI: p.NameVI, i18n.EN: p.NameEN},
			Description: map[i18n.Lang]string{i18n.VI: p.DescriptionVI, i18n.EN: p.DescriptionEN},
		}
		lib.paths[p.Slug] = path
		lib.Paths = append(lib.Paths, path)
	}
}

// nonEmpty reports each blank field of name, value pairs.
func (ld *loader) nonEmpty(where string, kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		if strings.TrimSpace(kv[i+1]) == "" {
			ld.problem(where, "%s is empty", kv[i])
		}
	}
}

// draft is one lesson file, parsed but not yet checked against its twin.
type draft struct {
	file string
	lang i18n.Lang
	fm   frontMatter
	body []byte
}

// readLessons parses every lesson file; the map is slug → language → file.
func (ld *loader) readLessons() map[string]map[i18n.Lang]*draft {
	out := map[string]map[i18n.Lang]*draft{}
	entries, err := fs.ReadDir(ld.fsys, LessonsDir)
	if err != nil {
		ld.problem(LessonsDir, "cannot read: %v", err)
		return out
	}
	for _, e := range entries {
		dir := path.Join(LessonsDir, e.Name())
		if !e.IsDir() {
			ld.problem(dir, "only lesson folders belong here")
			continue
		}
		slug := e.Name()
		if !slugPattern.MatchString(slug) || reservedSlugs[slug] {
			ld.problem(dir, "folder name is the lesson's URL: lower-case words joined by hyphens, not %q", slug)
			continue
		}
		out[slug] = map[i18n.Lang]*draft{}
		for _, lang := range i18n.Langs() {
			file := path.Join(dir, string(lang)+".md")
			b, err := fs.ReadFile(ld.fsys, file)
			if err != nil {
				ld.problem(file, "missing: every lesson needs vi.md and en.md")
				continue
			}
			d, err := parseLessonFile(b)
			if err != nil {
				ld.problem(file, "%v", err)
				continue
			}
			d.file, d.lang = file, lang
			out[slug][lang] = d
		}
	}
	return out
}

// errNoFrontMatter: a lesson file must open with its TOML header.
var errNoFrontMatter = errors.New("the file must start with a line +++, TOML front matter, and another line +++")

// parseLessonFile splits a lesson file into front matter and Markdown body
// and decodes the front matter. Unknown keys are errors, so a misspelt key
// is caught instead of silently ignored.
func parseLessonFile(b []byte) (*draft, error) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(b, []byte("+++\n"))
	if !ok {
		return nil, errNoFrontMatter
	}
	var head, body []byte
	for off := 0; ; {
		i := bytes.Index(rest[off:], []byte("+++"))
		if i < 0 {
			return nil, errNoFrontMatter
		}
		at := off + i
		lineStart := at == 0 || rest[at-1] == '\n'
		end := at + 3
		lineEnd := end == len(rest) || rest[end] == '\n'
		if lineStart && lineEnd {
			head, body = rest[:at], rest[min(end+1, len(rest)):]
			break
		}
		off = end
	}
	var fm frontMatter
	dec := toml.NewDecoder(bytes.NewReader(head)).DisallowUnknownFields()
	if err := dec.Decode(&fm); err != nil {
		return nil, fmt.Errorf("front matter: %s", tomlError(err, 1))
	}
	return &draft{fm: fm, body: body}, nil
}

// tomlError words a TOML error with its line when the library knows it.
// offset is the file line the TOML starts after.
func tomlError(err error, offset int) string {
	var sm *toml.StrictMissingError
	if errors.As(err, &sm) {
		return "unknown key(s):\n" + sm.String()
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		return fmt.Sprintf("line %d, column %d: %v", row+offset, col, de)
	}
	return err.Error()
}

// sortLibrary puts topics, paths and lessons in display order.
func sortLibrary(lib *Library) {
	sort.SliceStable(lib.Topics, func(i, j int) bool {
		if lib.Topics[i].Order != lib.Topics[j].Order {
			return lib.Topics[i].Order < lib.Topics[j].Order
		}
		return lib.Topics[i].ID < lib.Topics[j].ID
	})
	sort.SliceStable(lib.Paths, func(i, j int) bool {
		if lib.Paths[i].Order != lib.Paths[j].Order {
			return lib.Paths[i].Order < lib.Paths[j].Order
		}
		return lib.Paths[i].Slug < lib.Paths[j].Slug
	})
	sort.SliceStable(lib.Lessons, func(i, j int) bool {
		a, b := lib.Lessons[i], lib.Lessons[j]
		ta, tb := lib.topics[a.Topic].Order, lib.topics[b.Topic].Order
		if ta != tb {
			return ta < tb
		}
		if a.Topic != b.Topic {
			return a.Topic < b.Topic
		}
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		return a.Slug < b.Slug
	})
}

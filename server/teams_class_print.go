package server

import (
	"html/template"
	"net/http"
	"strings"

	"digiportal/teams"
)

// Rows of the printed attendance sheet: one per seat, at least a page's
// worth.
const minSheetRows = 20

// teamClassPrintView is a class's printable sheet or plan.
type teamClassPrintView struct {
	Page
	NoTeam   bool
	Class    teams.Class
	TeamName string
	When     string
	Planned  []lessonChoice
	// Rows numbers the sheet's rows; the sheet has no column for a name
	// or a phone number, by design.
	Rows []int
	// Handout is the planned lessons' text, for the plan.
	Handout []handoutLesson
}

// handoutLesson is one lesson of a class plan: its title, summary and
// steps, as the lesson page shows them.
type handoutLesson struct {
	Slug, Title, Summary string
	Body                 template.HTML
	Minutes              int
}

func (s *indicatorsPart) teamClassPrintView(w http.ResponseWriter, r *http.Request, titleID string) (*teamClassPrintView, error) {
	p := s.page(w, r, titleID)
	c, sc, err := s.ownClass(r)
	if err != nil {
		return nil, err
	}
	v := &teamClassPrintView{Page: p}
	if c == nil {
		v.NoTeam = true
		return v, nil
	}
	v.Class, v.When, v.Planned = *c, classWhen(p.L, *c), s.lessonLines(p.Lang, c.LessonSlugs())
	if t := sc.team(c.TeamID); t != nil {
		v.TeamName = t.Name
	}
	return v, nil
}

// teamClassSheet is the attendance sheet to print and take to the class:
// a numbered row per seat with a tick box for each age band, and the
// planned lessons to tick when covered. It asks for no name and no phone
// number; the helper counts the ticks afterwards and records the totals.
func (s *indicatorsPart) teamClassSheet(w http.ResponseWriter, r *http.Request) error {
	v, err := s.teamClassPrintView(w, r, "teamclasses.sheet.title")
	if err != nil {
		return err
	}
	n := max(int(v.Class.Capacity), minSheetRows)
	if v.NoTeam {
		n = 0
	}
	v.Rows = make([]int, n)
	for i := range v.Rows {
		v.Rows[i] = i + 1
	}
	return s.render(w, r, "team-class-sheet", v)
}

// teamClassPlan is the class plan to print as a handout: the planned
// lessons' steps, as the lessons' pages give them.
func (s *indicatorsPart) teamClassPlan(w http.ResponseWriter, r *http.Request) error {
	v, err := s.teamClassPrintView(w, r, "teamclasses.plan.title")
	if err != nil {
		return err
	}
	for _, slug := range v.Class.LessonSlugs() {
		l, ok := s.lib.Lesson(slug)
		if !ok {
			continue
		}
		t := l.In(v.Lang)
		v.Handout = append(v.Handout, handoutLesson{Slug: slug, Title: t.Title, Summary: t.Summary, Body: headingsDown(t.Body), Minutes: l.Minutes})
	}
	return s.render(w, r, "team-class-plan", v)
}

// headingsDown moves a lesson's headings one level down (h2 to h3, h3 to
// h4), so that under the plan's heading of each lesson they keep their
// order. The body is rendered from Markdown with raw HTML off, so a
// heading's tag is the only place these strings occur.
func headingsDown(body template.HTML) template.HTML {
	return template.HTML(headingShift.Replace(string(body)))
}

var headingShift = strings.NewReplacer("<h3", "<h4", "</h3>", "</h4>", "<h2", "<h3", "</h2>", "</h3>")

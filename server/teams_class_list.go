package server

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/teams"
)

// teamClassesView is the list of a team's classes, to come and past, with
// the form that schedules one. An official sees the commune's teams, one
// or all of them.
type teamClassesView struct {
	Page
	NoTeam bool
	Helper bool
	Teams  []teams.Team // an official's teams, for the filter and the form
	// TeamFilter is the team the official's list shows, 0 for all.
	TeamFilter int64
	Upcoming   classList
	Past       classList
	Form       teams.ClassInput
	FormTeam   int64 // the team an official chose in the form
	// LessonBoxes are the catalogue's lessons to tick in the form.
	LessonBoxes []lessonChoice
	Done        string
	MaxNote     int
	MaxLessons  int
}

// classList is a list of classes for the "class-rows" partial; Helper
// leaves out the team's name, which is always the helper's own.
type classList struct {
	L      *i18n.Localizer
	Lang   i18n.Lang
	Helper bool
	Rows   []classRow
}

// classRow is a class as a list shows it.
type classRow struct {
	teams.Class
	When        string
	LessonCount int
	StatusMsgID string // message ID of the class's state
}

// lessonChoice is a lesson of the catalogue as a tick box or a line.
type lessonChoice struct {
	Slug, Title string
	Checked     bool
}

// teamClassesList shows the classes of the user's team (a helper) or
// teams (an official, ?team= for one).
func (s *indicatorsPart) teamClassesList(w http.ResponseWriter, r *http.Request) error {
	v, err := s.teamClassesView(w, r)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "cancelled":
		v.Done = "teamclasses.done.cancelled"
	}
	return s.render(w, r, "team-classes", v)
}

func (s *indicatorsPart) teamClassesView(w http.ResponseWriter, r *http.Request) (*teamClassesView, error) {
	p := s.page(w, r, "teamclasses.title")
	now := s.now()
	sc, err := s.classScope(r)
	if err != nil {
		return nil, err
	}
	v := &teamClassesView{Page: p, NoTeam: sc.NoTeam, Helper: sc.Helper, MaxNote: teams.MaxNote, MaxLessons: teams.MaxClassLessons,
		Form: teams.ClassInput{Day: teams.Today(now.AddDate(0, 0, 1)), Start: "08:00", End: "10:00", Capacity: "30"}}
	if sc.NoTeam {
		return v, nil
	}
	if !sc.Helper {
		v.Teams = sc.Teams
	}
	ids := sc.ids()
	if f := r.URL.Query().Get("team"); f != "" && !sc.Helper {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || sc.team(id) == nil {
			return nil, errNotFound
		}
		v.TeamFilter, v.FormTeam, ids = id, id, []int64{id}
	}
	upcoming, past, err := teams.ClassesOf(r.Context(), s.db, ids, now)
	if err != nil {
		return nil, err
	}
	v.Upcoming = classList{L: p.L, Lang: p.Lang, Helper: sc.Helper, Rows: classRows(p, upcoming, now)}
	v.Past = classList{L: p.L, Lang: p.Lang, Helper: sc.Helper, Rows: classRows(p, past, now)}
	v.LessonBoxes = s.lessonChoices(p.Lang, v.Form.Lessons)
	return v, nil
}

// classRows words classes for a list.
func classRows(p Page, list []teams.Class, now time.Time) []classRow {
	out := make([]classRow, len(list))
	for i, c := range list {
		out[i] = classRow{Class: c, When: classWhen(p.L, c), LessonCount: len(c.LessonSlugs()), StatusMsgID: classStatus(c, now)}
	}
	return out
}

// classWhen words when a class is: its day and hours in Vietnam.
func classWhen(l *i18n.Localizer, c teams.Class) string {
	return l.T("teamclasses.when", "Day", l.Date(c.StartsAt), "Start", l.In(c.StartsAt).Format("15:04"), "End", l.In(c.EndsAt).Format("15:04"))
}

// classStatus is the message ID of a class's state at now.
func classStatus(c teams.Class, now time.Time) string {
	switch {
	case c.Cancelled():
		return "teamclasses.status.cancelled"
	case c.Held():
		return "teamclasses.status.held"
	case !c.Started(now):
		return "teamclasses.status.upcoming"
	case c.AttendanceOpen(now):
		return "teamclasses.status.to_record"
	}
	return "teamclasses.status.not_recorded"
}

// lessonChoices lists the catalogue's lessons as tick boxes, those in
// checked ticked.
func (s *indicatorsPart) lessonChoices(lang i18n.Lang, checked []string) []lessonChoice {
	out := make([]lessonChoice, 0, len(s.lib.Lessons))
	for _, l := range s.lib.Lessons {
		out = append(out, lessonChoice{Slug: l.Slug, Title: l.In(lang).Title, Checked: slices.Contains(checked, l.Slug)})
	}
	return out
}

// lessonLines lists lessons by slug, in the order given, as lines; a slug
// no longer in the catalogue shows as itself.
func (s *indicatorsPart) lessonLines(lang i18n.Lang, slugs []string) []lessonChoice {
	out := make([]lessonChoice, 0, len(slugs))
	for _, slug := range slugs {
		c := lessonChoice{Slug: slug, Title: slug}
		if l, ok := s.lib.Lesson(slug); ok {
			c.Title = l.In(lang).Title
		}
		out = append(out, c)
	}
	return out
}

// classInput reads a class's form.
func classInput(r *http.Request) teams.ClassInput {
	f := r.PostForm
	return teams.ClassInput{Place: f.Get("place"), Day: f.Get("day"), Start: f.Get("start"), End: f.Get("end"),
		Capacity: f.Get("capacity"), Note: f.Get("note"), Lessons: f["lessons"]}
}

// teamClassSchedule schedules a class for the helper's team or, for an
// official, the team chosen in the form; a refused one shows the form
// again with what was typed and each problem at its field.
func (s *indicatorsPart) teamClassSchedule(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	sc, err := s.classScope(r)
	if err != nil {
		return err
	}
	if sc.NoTeam {
		return errNotFound
	}
	in := classInput(r)
	now := s.now()
	var team *teams.Team
	if sc.Helper {
		team = &sc.Teams[0]
	} else if t := r.PostForm.Get("team"); t != "" {
		id, err := strconv.ParseInt(t, 10, 64)
		if err != nil || sc.team(id) == nil {
			return errNotFound
		}
		team = sc.team(id)
		if err := s.authorizeUnit(r, accounts.ActTeamsClasses, team.UnitCode); err != nil {
			return err
		}
	}
	var c *teams.Class
	if team != nil {
		c, err = teams.ScheduleClass(r.Context(), s.db, s.actor(r), team.ID, in, s.lessonKnown, now)
	} else {
		err = in.Validate(s.lessonKnown, now)
	}
	if err == nil && c != nil {
		http.Redirect(w, r, "/"+r.PathValue("lang")+"/teams/classes/"+strconv.FormatInt(c.ID, 10)+"?done=scheduled", http.StatusSeeOther)
		return nil
	}
	v, verr := s.teamClassesView(w, r)
	if verr != nil {
		return verr
	}
	v.Form, v.LessonBoxes = in, s.lessonChoices(v.Lang, in.Lessons)
	if team != nil {
		v.FormTeam = team.ID
	}
	v.Errors = fieldErrors(v.L, err, nil, classMessage)
	if team == nil {
		v.Errors = append([]i18n.FieldError{{Field: "team", Message: classMessage(v.L, errClassTeam)}}, v.Errors...)
	}
	if len(v.Errors) == 0 {
		msg := classStateMessage(v.L, err)
		if msg == "" {
			return err
		}
		v.Errors = []i18n.FieldError{{Message: msg}}
	}
	return s.renderStatus(w, r, http.StatusBadRequest, "team-classes", v)
}

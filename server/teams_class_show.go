package server

import (
	"errors"
	"net/http"
	"strconv"

	"digiportal/database"
	"digiportal/i18n"
	"digiportal/teams"
)

// teamClassView is one class: its details, the links to its printable
// sheet and plan, and what can still be done: edit or cancel it before it
// begins, record its attendance after.
type teamClassView struct {
	Page
	NoTeam   bool
	Class    teams.Class
	TeamName string
	When     string
	Status   string // message ID of the class's state
	Planned  []lessonChoice
	Covered  []lessonChoice
	// Changeable: not begun nor cancelled, the edit form and the cancel
	// button show. AttendanceOpen: the attendance form shows. Locked:
	// the 7 days after the end are over.
	Changeable     bool
	AttendanceOpen bool
	Locked         bool
	Form           teams.ClassInput
	LessonBoxes    []lessonChoice // the edit form's tick boxes
	Attendance     teams.AttendanceInput
	CoveredChoices []lessonChoice
	Done           string
	MaxNote        int
	MaxLessons     int
}

// teamClassShow shows one class of the user's team or teams.
func (s *indicatorsPart) teamClassShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.teamClassView(w, r)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "scheduled":
		v.Done = "teamclasses.done.scheduled"
	case "saved":
		v.Done = "teamclasses.done.saved"
	case "recorded":
		v.Done = "teamclasses.done.recorded"
	}
	return s.render(w, r, "team-class", v)
}

func (s *indicatorsPart) teamClassView(w http.ResponseWriter, r *http.Request) (*teamClassView, error) {
	p := s.page(w, r, "teamclasses.class.title")
	c, sc, err := s.ownClass(r)
	if err != nil {
		return nil, err
	}
	v := &teamClassView{Page: p, MaxNote: teams.MaxNote, MaxLessons: teams.MaxClassLessons}
	if c == nil {
		v.NoTeam = true
		return v, nil
	}
	now := s.now()
	v.Class, v.When, v.Status = *c, classWhen(p.L, *c), classStatus(*c, now)
	if t := sc.team(c.TeamID); t != nil {
		v.TeamName = t.Name
	}
	v.Planned, v.Covered = s.lessonLines(p.Lang, c.LessonSlugs()), s.lessonLines(p.Lang, c.CoveredSlugs())
	v.Changeable, v.AttendanceOpen = c.Changeable(now), c.AttendanceOpen(now)
	v.Locked = !c.Cancelled() && c.Started(now) && !v.AttendanceOpen
	v.Form = teams.ClassForm(c)
	v.LessonBoxes = s.lessonChoices(p.Lang, v.Form.Lessons)
	v.Attendance = teams.AttendanceInput{Covered: c.CoveredSlugs()}
	if c.Held() {
		v.Attendance.People1559, v.Attendance.People60 = strconv.FormatInt(c.Attended1559, 10), strconv.FormatInt(c.Attended60, 10)
	} else {
		v.Attendance.Covered = c.LessonSlugs() // the plan, to untick what was not covered
	}
	v.CoveredChoices = s.lessonChoices(p.Lang, v.Attendance.Covered)
	return v, nil
}

// teamClassEdit changes a class before it begins.
func (s *indicatorsPart) teamClassEdit(w http.ResponseWriter, r *http.Request) error {
	c, _, err := s.ownClass(r)
	if err != nil {
		return err
	}
	if c == nil {
		return errNotFound
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	in := classInput(r)
	err = teams.UpdateClass(r.Context(), s.db, s.actor(r), c.TeamID, c.ID, in, s.lessonKnown, s.now())
	if err == nil {
		http.Redirect(w, r, classPath(r, c)+"?done=saved", http.StatusSeeOther)
		return nil
	}
	return s.teamClassRefused(w, r, err, func(v *teamClassView) {
		v.Form, v.LessonBoxes = in, s.lessonChoices(v.Lang, in.Lessons)
	})
}

// teamClassCancel cancels a class before it begins.
func (s *indicatorsPart) teamClassCancel(w http.ResponseWriter, r *http.Request) error {
	c, _, err := s.ownClass(r)
	if err != nil {
		return err
	}
	if c == nil {
		return errNotFound
	}
	err = teams.CancelClass(r.Context(), s.db, s.actor(r), c.TeamID, c.ID, s.now())
	if err == nil {
		http.Redirect(w, r, "/"+r.PathValue("lang")+"/teams/classes?done=cancelled", http.StatusSeeOther)
		return nil
	}
	return s.teamClassRefused(w, r, err, nil)
}

// teamClassAttendance records or corrects a class's attendance.
func (s *indicatorsPart) teamClassAttendance(w http.ResponseWriter, r *http.Request) error {
	c, _, err := s.ownClass(r)
	if err != nil {
		return err
	}
	if c == nil {
		return errNotFound
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	f := r.PostForm
	in := teams.AttendanceInput{People1559: f.Get("attended_15_59"), People60: f.Get("attended_60"), Covered: f["covered"]}
	err = teams.RecordAttendance(r.Context(), s.db, s.actor(r), c.TeamID, c.ID, in, s.lessonKnown, s.now())
	if err == nil {
		http.Redirect(w, r, classPath(r, c)+"?done=recorded", http.StatusSeeOther)
		return nil
	}
	return s.teamClassRefused(w, r, err, func(v *teamClassView) {
		v.Attendance, v.CoveredChoices = in, s.lessonChoices(v.Lang, in.Covered)
	})
}

// teamClassRefused shows the class again after a refused form, with what
// was typed (keep) and the problems: each at its field, or the class's
// state that stopped it.
func (s *indicatorsPart) teamClassRefused(w http.ResponseWriter, r *http.Request, err error, keep func(*teamClassView)) error {
	if errors.Is(err, database.ErrNotFound) {
		return err
	}
	v, verr := s.teamClassView(w, r)
	if verr != nil {
		return verr
	}
	v.Errors = fieldErrors(v.L, err, nil, classMessage)
	if len(v.Errors) == 0 {
		msg := classStateMessage(v.L, err)
		if msg == "" {
			return err
		}
		v.Errors = []i18n.FieldError{{Message: msg}}
	}
	if keep != nil {
		keep(v)
	}
	return s.renderStatus(w, r, http.StatusBadRequest, "team-class", v)
}

// classPath is the page of a class, in the request's language.
func classPath(r *http.Request, c *teams.Class) string {
	return "/" + r.PathValue("lang") + "/teams/classes/" + strconv.FormatInt(c.ID, 10)
}

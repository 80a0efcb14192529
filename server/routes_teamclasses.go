package server

import (
	"errors"
	"net/http"
	"strconv"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
	"digiportal/teams"
)

// teamClassRoutes lists the routes of a team's classes (issue 21, item 3):
// a helper schedules and records their own team's, a commune official
// those of the commune's teams. The pages of one class take any id as
// sample: a helper in no team, whom the browser checks sign in as, is told
// so on every one of them.
func (s *indicatorsPart) teamClassRoutes() []route {
	act := accounts.ActTeamsClasses
	return []route{
		{pattern: "GET /{lang}/teams/classes", handler: s.teamClassesList, access: act},
		{pattern: "POST /{lang}/teams/classes", handler: s.teamClassSchedule, access: act},
		{pattern: "GET /{lang}/teams/classes/{id}", handler: s.teamClassShow, access: act, samples: []string{"/{lang}/teams/classes/1"}},
		{pattern: "POST /{lang}/teams/classes/{id}/edit", handler: s.teamClassEdit, access: act},
		{pattern: "POST /{lang}/teams/classes/{id}/cancel", handler: s.teamClassCancel, access: act},
		{pattern: "POST /{lang}/teams/classes/{id}/attendance", handler: s.teamClassAttendance, access: act},
		{pattern: "GET /{lang}/teams/classes/{id}/sheet", handler: s.teamClassSheet, access: act, samples: []string{"/{lang}/teams/classes/1/sheet"}},
		{pattern: "GET /{lang}/teams/classes/{id}/plan", handler: s.teamClassPlan, access: act, samples: []string{"/{lang}/teams/classes/1/plan"}},
	}
}

// classScope is what the signed-in user may act on: a helper their own
// team, a commune official the commune's teams.
type classScope struct {
	Helper bool
	NoTeam bool // a helper in no team
	Teams  []teams.Team
}

// ids returns the ids of the teams in scope.
func (c *classScope) ids() []int64 {
	out := make([]int64, len(c.Teams))
	for i, t := range c.Teams {
		out[i] = t.ID
	}
	return out
}

// team returns the team of the scope with id, or nil.
func (c *classScope) team(id int64) *teams.Team {
	for i := range c.Teams {
		if c.Teams[i].ID == id {
			return &c.Teams[i]
		}
	}
	return nil
}

// classScope returns the teams the signed-in user acts for.
func (s *indicatorsPart) classScope(r *http.Request) (*classScope, error) {
	u := s.currentUser(r)
	if u.Role == accounts.RoleHelper {
		t, err := teams.MemberOf(r.Context(), s.db, u.ID)
		if errors.Is(err, database.ErrNotFound) {
			return &classScope{Helper: true, NoTeam: true}, nil
		}
		if err != nil {
			return nil, err
		}
		return &classScope{Helper: true, Teams: []teams.Team{*t}}, nil
	}
	list, err := teams.List(r.Context(), s.db, u.UnitCode)
	if err != nil {
		return nil, err
	}
	return &classScope{Teams: list}, nil
}

// ownClass reads the {id} of a class route and returns the class when it
// belongs to a team in the user's scope, with that team; another team's
// or commune's class is not found. A helper in no team gets a nil class
// and the scope that says so.
func (s *indicatorsPart) ownClass(r *http.Request) (*teams.Class, *classScope, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, errNotFound
	}
	sc, err := s.classScope(r)
	if err != nil || sc.NoTeam {
		return nil, sc, err
	}
	c, err := teams.TeamClass(r.Context(), s.db, sc.ids(), id)
	if err != nil {
		return nil, nil, err
	}
	return c, sc, nil
}

// lessonKnown tells the teams package which slugs are lessons.
func (s *indicatorsPart) lessonKnown(slug string) bool {
	_, ok := s.lib.Lesson(slug)
	return ok
}

// classMessage words one refusal of a class's form.
func classMessage(l *i18n.Localizer, err error) string {
	switch {
	case errors.Is(err, teams.ErrPlaceMissing):
		return l.T("teamclasses.error.place_missing")
	case errors.Is(err, teams.ErrPlaceLong):
		return l.T("teamclasses.error.place_long", "Max", teams.MaxPlace)
	case errors.Is(err, teams.ErrClassDay):
		return l.T("teamclasses.error.day")
	case errors.Is(err, teams.ErrClassPast):
		return l.T("teamclasses.error.past")
	case errors.Is(err, teams.ErrClassFar):
		return l.T("teamclasses.error.far", "Days", teams.MaxClassAhead)
	case errors.Is(err, teams.ErrClassStart):
		return l.T("teamclasses.error.start")
	case errors.Is(err, teams.ErrClassEnd):
		return l.T("teamclasses.error.end")
	case errors.Is(err, teams.ErrClassLong):
		return l.T("teamclasses.error.long", "Hours", int(teams.MaxClassLength.Hours()))
	case errors.Is(err, teams.ErrCapacity):
		return l.T("teamclasses.error.capacity", "Max", teams.MaxCapacity)
	case errors.Is(err, teams.ErrLessonsNone):
		return l.T("teamclasses.error.lessons_none")
	case errors.Is(err, teams.ErrLessonsMany):
		return l.T("teamclasses.error.lessons_many", "Max", teams.MaxClassLessons)
	case errors.Is(err, teams.ErrLessonUnknown):
		return l.T("teamclasses.error.lesson_unknown")
	case errors.Is(err, teams.ErrAttendance):
		return l.T("teamclasses.error.attendance", "Max", teams.MaxClassPeople)
	case errors.Is(err, teams.ErrNobodyCame):
		return l.T("teamclasses.error.nobody")
	case errors.Is(err, teams.ErrNoteLong):
		return l.T("teamclasses.error.note_long", "Max", teams.MaxNote)
	case errors.Is(err, teams.ErrPersonal):
		return l.T("teamclasses.error.personal")
	case errors.Is(err, teams.ErrInvisible):
		return l.T("teamclasses.error.invisible")
	case errors.Is(err, errClassTeam):
		return l.T("teamclasses.error.team")
	}
	return l.T("teamclasses.error.day")
}

// classStateMessage words a refusal that the class's state, not a field,
// causes; "" when err is none of them.
func classStateMessage(l *i18n.Localizer, err error) string {
	switch {
	case errors.Is(err, teams.ErrClassStarted):
		return l.T("teamclasses.error.started")
	case errors.Is(err, teams.ErrClassCancelled):
		return l.T("teamclasses.error.cancelled")
	case errors.Is(err, teams.ErrClassFuture):
		return l.T("teamclasses.error.future")
	case errors.Is(err, teams.ErrClassLocked):
		return l.T("teamclasses.error.locked")
	case errors.Is(err, teams.ErrTooManyClasses):
		return l.T("teamclasses.error.too_many", "Max", teams.MaxUpcomingClasses)
	}
	return ""
}

// errClassTeam: an official's schedule form names no team.
var errClassTeam = errors.New("server: no team chosen for the class")

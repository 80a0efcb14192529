package server

import (
	"errors"
	"net/http"
	"strconv"

	"digiportal/database"
	"digiportal/teams"
)

// teamLogView is the helper's help log: the form for a new entry (or the
// correction of one) and the team's entries of this month.
type teamLogView struct {
	Page
	NoTeam  bool
	Team    teams.Team
	Form    teams.VisitInput
	EditID  int64 // the entry being corrected, 0 for a new one
	Locked  bool  // the entry asked to correct is locked
	Today   string
	Entries []teamLogEntry
	Done    string
	// EntriesEditable: the list links each entry not yet locked to its
	// correction.
	EntriesEditable bool
	MaxNote         int
	// Services and Lessons are the catalogues' services and lessons the
	// form offers, those of Form checked.
	Services []helpPick
	Lessons  []helpPick
}

// withPicks sets the form's offer of services and lessons from Form.
func (v *teamLogView) withPicks(c *helpCatalogue) {
	v.Services, v.Lessons = c.serviceOptions(v.Lang, v.Form.Services), c.lessonOptions(v.Lang, v.Form.Lessons)
}

// teamLogEntry is one entry as the list shows it.
type teamLogEntry struct {
	teams.Visit
	Day       string
	CanEdit   bool
	Reached   int64
	WhatDone  []string // message IDs of what was done
	KindMsgID string
	// ServiceNames and LessonNames are the services filed and lessons
	// taken, as the catalogues name them in the page's language.
	ServiceNames []string
	LessonNames  []string
}

// teamLogShow shows the helper's log page; ?edit= opens an entry of the
// team to correct.
func (s *indicatorsPart) teamLogShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.teamLogView(w, r)
	if err != nil || v.NoTeam {
		if err == nil {
			err = s.render(w, r, "team-log", v)
		}
		return err
	}
	switch r.URL.Query().Get("done") {
	case "recorded":
		v.Done = "teams.log.done.recorded"
	case "corrected":
		v.Done = "teams.log.done.corrected"
	}
	if e := r.URL.Query().Get("edit"); e != "" {
		id, err := strconv.ParseInt(e, 10, 64)
		if err != nil || id <= 0 {
			return errNotFound
		}
		x, err := teams.TeamVisit(r.Context(), s.db, s.currentUser(r).ID, id)
		if err != nil {
			return err
		}
		v.EditID, v.Locked = x.ID, x.Locked(s.now())
		v.Form = visitForm(x)
	}
	v.withPicks(s.help)
	return s.render(w, r, "team-log", v)
}

func (s *indicatorsPart) teamLogView(w http.ResponseWriter, r *http.Request) (*teamLogView, error) {
	p := s.page(w, r, "teams.log.title")
	now := s.now()
	v := &teamLogView{Page: p, EntriesEditable: true, MaxNote: teams.MaxNote, Today: teams.Today(now), Form: teams.VisitInput{Day: teams.Today(now), Kind: teams.KindVisit}}
	t, err := teams.MemberOf(r.Context(), s.db, s.currentUser(r).ID)
	if errors.Is(err, database.ErrNotFound) {
		v.NoTeam = true
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	v.Team = *t
	list, err := teams.Visits(r.Context(), s.db, t.ID, v.Today[:7])
	if err != nil {
		return nil, err
	}
	v.Entries = logEntries(p, s.help, list, now)
	return v, nil
}

// visitForm is an entry as its form shows it.
func visitForm(x *teams.Visit) teams.VisitInput {
	n := func(i int64) string { return strconv.FormatInt(i, 10) }
	return teams.VisitInput{Day: x.Day, Kind: x.Kind, Households: n(x.Households), People1559: n(x.People1559), People60: n(x.People60),
		Note: x.Note, VNeID: x.VNeID, Payment: x.Payment, Service: x.Service, Cashless: x.Cashless, Scam: x.Scam, Lesson: x.Lesson,
		Services: x.Services, Lessons: x.Lessons}
}

package server

import (
	"net/http"
	"strconv"

	"digiportal/teams"
)

type teamView struct {
	Page
	Team    teams.Team
	Form    teamForm
	Members []teams.Member
	Invite  teamInviteForm
	Done    string
	// Link is the one-time link of the helper just invited, shown once to
	// hand over; CanEmail: the portal sends e-mail, Emailed: it did.
	Link     string
	CanEmail bool
	Emailed  bool
	// The help log of the month: the team's entries and their totals.
	Month           string
	Total           teams.MonthTotal
	Entries         []teamLogEntry
	EntriesEditable bool
	EntryCount      int
}

// teamInviteForm is who an official invites, as typed.
type teamInviteForm struct {
	Email, Name string
}

// teamShow shows a team: its name and household count to edit, its
// members, and the form that invites one.
func (s *indicatorsPart) teamShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.teamView(w, r)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "saved":
		v.Done = "teams.done.saved"
	case "removed":
		v.Done = "teams.done.removed"
	}
	return s.render(w, r, "team", v)
}

func (s *indicatorsPart) teamView(w http.ResponseWriter, r *http.Request) (*teamView, error) {
	t, err := s.ownTeam(r)
	if err != nil {
		return nil, err
	}
	members, err := teams.Members(r.Context(), s.db, t.ID)
	if err != nil {
		return nil, err
	}
	p := s.page(w, r, "teams.team.title")
	now := s.now()
	month, _, err := teamsMonth(r, p, now)
	if err != nil {
		return nil, err
	}
	visits, err := teams.Visits(r.Context(), s.db, t.ID, month)
	if err != nil {
		return nil, err
	}
	totals, err := teams.MonthTotals(r.Context(), s.db, t.UnitCode, month)
	if err != nil {
		return nil, err
	}
	return &teamView{Page: p, Team: *t, Members: members, CanEmail: s.mail.Configured(),
		Form:  teamForm{Name: t.Name, Households: strconv.FormatInt(t.Households, 10), DeskPlace: t.DeskPlace, DeskHours: t.DeskHours},
		Month: monthLabel(p, month), Total: totals[t.ID], Entries: logEntries(p, s.help, visits, now), EntryCount: int(totals[t.ID].Entries)}, nil
}

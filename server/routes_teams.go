package server

import (
	"errors"
	"net/http"
	"strconv"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/teams"
)

// teamsRoutes lists the routes of the community digital technology teams
// (issue 21). They belong to the indicators part, which knows the unit
// scope a commune official works in.
func (s *indicatorsPart) teamsRoutes() []route {
	manage, log := accounts.ActTeamsManage, accounts.ActTeamsLog
	return []route{
		{pattern: "GET /{lang}/teams/log", handler: s.teamLogShow, access: log},
		{pattern: "POST /{lang}/teams/log", handler: s.teamLogRecord, access: log},
		{pattern: "POST /{lang}/teams/leave", handler: s.teamLeave, access: log},
		{pattern: "POST /{lang}/teams/log/entries/{id}", handler: s.teamLogCorrect, access: log},
		{pattern: "GET /{lang}/teams", handler: s.teamsList, access: manage},
		{pattern: "POST /{lang}/teams", handler: s.teamsCreate, access: manage},
		{pattern: "GET /{lang}/teams/{id}", handler: s.teamShow, access: manage, samples: []string{"/{lang}/teams/1"}},
		{pattern: "POST /{lang}/teams/{id}", handler: s.teamSave, access: manage},
		{pattern: "POST /{lang}/teams/{id}/invite", handler: s.teamInvite, access: manage},
		{pattern: "POST /{lang}/teams/{id}/members/{member}/remove", handler: s.teamMemberRemove, access: manage},
	}
}

// ownTeam reads the {id} of a team route and returns the team when it lies
// in the signed-in official's scope; another commune's team is not found.
func (s *indicatorsPart) ownTeam(r *http.Request) (*teams.Team, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errNotFound
	}
	t, err := teams.ByID(r.Context(), s.db, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeUnit(r, accounts.ActTeamsManage, t.UnitCode); err != nil {
		return nil, err
	}
	return t, nil
}

// teamMessage words one refusal of the teams part.
func teamMessage(l *i18n.Localizer, err error) string {
	if m := helpMessage(l, err); m != "" {
		return m // the help desk's fields (routes_help.go)
	}
	switch {
	case errors.Is(err, teams.ErrNameMissing):
		return l.T("teams.error.name_missing")
	case errors.Is(err, teams.ErrNameLong):
		return l.T("teams.error.name_long", "Max", teams.MaxName)
	case errors.Is(err, teams.ErrNameInvisible):
		return l.T("teams.error.name_invisible")
	case errors.Is(err, teams.ErrDay):
		return l.T("teams.log.error.day", "Days", teams.MaxDaysBack)
	case errors.Is(err, teams.ErrKind):
		return l.T("teams.log.error.kind")
	case errors.Is(err, teams.ErrCount):
		return l.T("teams.log.error.count", "Max", l.Int(teams.MaxVisitCount))
	case errors.Is(err, teams.ErrNothing):
		return l.T("teams.log.error.nothing")
	case errors.Is(err, teams.ErrNoteLong):
		return l.T("teams.log.error.note_long", "Max", teams.MaxNote)
	case errors.Is(err, teams.ErrPersonal):
		return l.T("teams.log.error.personal")
	case errors.Is(err, teams.ErrInvisible):
		return l.T("teams.log.error.invisible")
	case errors.Is(err, teams.ErrHouseholds):
		return l.T("teams.error.households", "Max", l.Int(teams.MaxHouseholds))
	}
	return l.T("teams.error.name_missing")
}

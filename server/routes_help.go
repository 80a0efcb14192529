package server

import (
	"errors"

	"digiportal/findhelp"
	"digiportal/i18n"
	"digiportal/teams"
)

// helpPart serves the public "find help near you" pages (issue 21, item
// 3): a resident finds their commune or ward and sees its teams and where
// and when they help, with no sign-in. It reads the unit table through
// the indicators part and keeps the folded names in memory (findhelp.Index).
type helpPart struct {
	*indicatorsPart
	places *findhelp.Index
}

// helpRoutes lists the public help pages. The search page without a query
// is the same for everyone and is kept rendered (pagecache.go); a search
// and a unit page are read from memory and one indexed query, and not
// kept: a unit page changes whenever an official edits a team.
func (s *indicatorsPart) helpRoutes() []route {
	h := &helpPart{indicatorsPart: s, places: findhelp.NewIndex(s.db)}
	return []route{
		{pattern: "GET /{lang}/help", handler: h.helpSearch, cache: &cachePolicy{},
			samples: []string{"/{lang}/help", "/{lang}/help?q=vung+tau", "/{lang}/help?q=xa", "/{lang}/help?q=khong+co+noi+nay"}},
		{pattern: "GET /{lang}/help/{code}", handler: h.helpUnit, samples: []string{"/{lang}/help/26506", "/{lang}/help/26674"}},
	}
}

// How long a browser may reuse a search or a unit page without asking
// again. Private: a shared cache keeps nothing, and a signed-in visitor
// gets no-store whatever this says (cache_private.go).
const (
	helpSearchCache = "private, max-age=300" // changes only with the unit list
	helpUnitCache   = "private, max-age=60"  // changes when an official edits a team
)

// helpMessage words one refusal of the help pages' inputs.
func helpMessage(l *i18n.Localizer, err error) string {
	switch {
	case errors.Is(err, findhelp.ErrQueryLong):
		return l.T("help.error.query_long", "Max", findhelp.MaxQuery)
	case errors.Is(err, findhelp.ErrQueryInvisible):
		return l.T("help.error.query_invisible")
	case errors.Is(err, teams.ErrDeskLong):
		return l.T("help.error.desk_long", "Max", teams.MaxDesk)
	case errors.Is(err, teams.ErrDeskInvisible):
		return l.T("help.error.desk_invisible")
	case errors.Is(err, teams.ErrDeskPersonal):
		return l.T("help.error.desk_personal")
	case errors.Is(err, teams.ErrNamePersonal):
		return l.T("help.error.name_personal")
	}
	return ""
}

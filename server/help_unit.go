package server

import (
	"net/http"

	"digiportal/i18n"
	"digiportal/indicators"
	"digiportal/teams"
)

// helpUnitView is the public page of one commune or ward: its teams, each
// with the hamlet's name and its help desk, and how to get help when it
// has none. It names no member. Sections of the page follow its fields in
// order, each its own block in help-unit.html.
type helpUnitView struct {
	Page
	Place helpPlace
	// Teams are the commune's teams by name, as the public may see them
	// (teams.Public): name, help-desk place and hours.
	Teams []teams.PublicTeam
	// Classes are the classes to come of the commune's teams, soonest
	// first: when, where, which team, the lessons and the seats. A class's
	// note is the team's own and is not shown.
	Classes []helpClass
}

// helpClass is one class to come, as the public sees it.
type helpClass struct {
	When, Place, Team string
	Capacity          int64
	Lessons           []lessonChoice
}

// helpClassesListed bounds the classes a unit page lists.
const helpClassesListed = 20

// helpUnit shows a commune or ward valid today. An unknown code, a
// province, or a unit that no longer exists is not found; for a unit
// merged away in 2025 the page names the units that took it over.
func (h *helpPart) helpUnit(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if len(code) == 0 || len(code) > 10 || !allDigits(code) {
		return errNotFound
	}
	ctx := r.Context()
	today := indicators.Today(h.now())
	place, ok, err := h.places.Unit(ctx, code, today)
	if err != nil {
		return err
	}
	if !ok {
		return h.helpUnitGone(r, code, today)
	}
	list, err := teams.Public(ctx, h.db, code)
	if err != nil {
		return err
	}
	upcoming, err := teams.UpcomingClasses(ctx, h.db, code, h.now(), helpClassesListed)
	if err != nil {
		return err
	}
	p := h.page(w, r, "help.title")
	v := &helpUnitView{Page: p, Place: helpPlaceOf(place, p.Lang), Teams: list}
	for _, c := range upcoming {
		v.Classes = append(v.Classes, helpClass{When: classWhen(p.L, c), Place: c.Place, Team: c.TeamName, Capacity: c.Capacity, Lessons: h.lessonLines(p.Lang, c.LessonSlugs())})
	}
	v.Title = p.L.T("help.unit.title", "Name", v.Place.Name)
	w.Header().Set("Cache-Control", helpUnitCache)
	return h.render(w, r, "help-unit", v)
}

// helpUnitGone is the 404 of a code that names no commune or ward today:
// for a unit merged away, its name and links to the successors the 2025
// mappings know; else the plain one.
func (h *helpPart) helpUnitGone(r *http.Request, code, today string) error {
	gone, err := h.places.Successors(r.Context(), code, today)
	if err != nil {
		return err
	}
	if len(gone.Now) == 0 {
		return errNotFound
	}
	return &statusError{status: http.StatusNotFound, msgID: "help.error.merged",
		data: []any{"Code", code, "Name", gone.Was.Name},
		links: func(l *i18n.Localizer) []indOption {
			out := make([]indOption, len(gone.Now))
			for i, s := range gone.Now {
				pl := helpPlaceOf(s, l.Lang)
				label := pl.Name
				if pl.Province != "" {
					label += ", " + pl.Province
				}
				out[i] = indOption{Value: "/" + string(l.Lang) + "/help/" + pl.Code, Label: label}
			}
			return out
		}}
}

// allDigits reports whether s is made of ASCII digits only.
func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

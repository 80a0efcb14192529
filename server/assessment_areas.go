package server

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"digiportal/assessments"
	"digiportal/i18n"
	"digiportal/indicators"
)

// unitAreas gives the self-assessment its areas from the indicators part's
// unit table (assessments.Places), so that the profile offers today's
// communes and wards of the portal's province, as the indicators pages
// show them, and an older answer still reads as the unit it named.
type unitAreas struct {
	db  bun.IDB
	now func() time.Time
}

// assessmentAreas returns the areas of the self-assessment as of its clock.
func (s *assessmentsPart) assessmentAreas() unitAreas {
	return unitAreas{db: s.db, now: s.now}
}

// Areas lists today's communes and wards of the portal's province, by name.
func (u unitAreas) Areas(ctx context.Context) ([]assessments.Area, error) {
	us, err := indicators.AreaUnits(ctx, u.db, indicators.Today(u.now()))
	if err != nil {
		return nil, err
	}
	out := make([]assessments.Area, len(us))
	for i := range us {
		out[i] = areaOfUnit(&us[i], "")
	}
	return out, nil
}

// Resolve looks each code up as of the day it was given.
func (u unitAreas) Resolve(ctx context.Context, refs []assessments.AreaRef) (map[assessments.AreaRef]assessments.Area, error) {
	codes := make([]string, 0, len(refs))
	for _, r := range refs {
		codes = append(codes, r.Code)
	}
	hist, err := indicators.UnitHistories(ctx, u.db, codes)
	if err != nil {
		return nil, err
	}
	today := indicators.Today(u.now())
	out := map[assessments.AreaRef]assessments.Area{}
	for _, r := range refs {
		if v := indicators.VersionOn(hist[r.Code], r.Day); v != nil {
			out[r] = areaOfUnit(v, today)
		}
	}
	return out, nil
}

// areaOfUnit is a unit version as an area; given today, a version that has
// ended by then is a former unit, with its last day.
func areaOfUnit(u *indicators.Unit, today string) assessments.Area {
	a := assessments.Area{Code: u.Code, Name: assessments.Text{VI: u.Name, EN: u.DisplayName(true)}}
	if today != "" && u.ValidTo <= today {
		if end, err := time.Parse(time.DateOnly, u.ValidTo); err == nil {
			a.Until = end.AddDate(0, 0, -1).Format(time.DateOnly)
		}
	}
	return a
}

// areaLabel names an area for a reader: its name, or for a unit that no
// longer exists its name marked as former with its last day, or the bare
// code when no unit ever carried it; "" for no area.
func areaLabel(l *i18n.Localizer, a assessments.Area) string {
	name := a.Name.In(l.Lang)
	switch {
	case a.Code == "":
		return ""
	case name == "":
		return a.Code
	case a.Former():
		until, err := time.ParseInLocation(time.DateOnly, a.Until, i18n.Location())
		if err != nil {
			return name
		}
		return l.T("assessment.area.former", "Name", name, "Until", l.Date(until))
	}
	return name
}

// areaOfResponse names the area a response gave, as of the day it gave it.
func (s *assessmentsPart) areaOfResponse(ctx context.Context, l *i18n.Localizer, resp *assessments.Response) (string, error) {
	if resp.Area == "" {
		return "", nil
	}
	ref := assessments.RefOf(resp)
	named, err := s.assessmentAreas().Resolve(ctx, []assessments.AreaRef{ref})
	if err != nil {
		return "", err
	}
	a, ok := named[ref]
	if !ok {
		a = assessments.Area{Code: resp.Area}
	}
	return areaLabel(l, a), nil
}

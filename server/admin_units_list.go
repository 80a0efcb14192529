package server

import (
	"fmt"
	"net/http"

	"digiportal/i18n"
	"digiportal/indicators"
)

type adminUnitsView struct {
	Page
	Query, Day string
	Units      []adminUnitRow
	Total      int
	Pager      indPager
	Result     string
	DryRun     bool // Result says what an import would change; nothing changed
	Problems   []importError
	Kind       string
	ImportDay  string
}

type adminUnitRow struct {
	ID                              int64
	Code, Name, Kind, Parent, Valid string
}

const adminUnitsPerPage = 50

// adminUnitsList searches the units valid on a day (diacritics ignored),
// fifty at a time, and offers the imports of the statistics office's list
// and of a successor mapping.
func (s *indicatorsPart) adminUnitsList(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminUnitsView(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin-units", v)
}

func (s *indicatorsPart) adminUnitsView(w http.ResponseWriter, r *http.Request) (*adminUnitsView, error) {
	p := s.page(w, r, "indicators.admin.units.title")
	q := r.URL.Query()
	day := q.Get("day")
	if day == "" {
		day = indicators.Today(s.now())
	}
	if !indicators.ValidDay(day) {
		return nil, errBadRequest
	}
	query := q.Get("q")
	if len(query) > 100 {
		return nil, errBadRequest
	}
	page := indPageParam(r)
	res, err := indicators.SearchUnits(r.Context(), s.db, query, day, adminUnitsPerPage, (page-1)*adminUnitsPerPage)
	if err != nil {
		return nil, err
	}
	v := &adminUnitsView{Page: p, Query: query, Day: day, Total: res.Total, Kind: "units", ImportDay: day}
	base := fmt.Sprintf("/%s/admin/units?q=%s&day=%s", p.Lang, urlQuery(query), day)
	if page*adminUnitsPerPage < res.Total {
		v.Pager.Next = fmt.Sprintf("%s&page=%d", base, page+1)
	}
	if page > 1 {
		v.Pager.Prev = fmt.Sprintf("%s&page=%d", base, page-1)
	}
	en := p.Lang == i18n.EN
	for _, u := range res.Units {
		v.Units = append(v.Units, adminUnitRow{ID: u.ID, Code: u.Code, Name: u.DisplayName(en), Kind: p.L.T(u.Kind.MsgID()), Parent: u.ParentCode, Valid: validText(p.L, u)})
	}
	return v, nil
}

func validText(l *i18n.Localizer, u indicators.Unit) string {
	if u.ValidTo == indicators.OpenEnd {
		return l.T("indicators.admin.units.valid_from", "From", u.ValidFrom)
	}
	return l.T("indicators.admin.units.valid_between", "From", u.ValidFrom, "To", u.ValidTo)
}

package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

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

// adminUnitsImport imports, in one transaction, the statistics office's
// administrative-unit list (as of a day) or a successor mapping (of a
// reorganisation that took effect on a day), then rebuilds the roll-ups.
func (s *indicatorsPart) adminUnitsImport(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminUnitsView(w, r)
	if err != nil {
		return err
	}
	form, err := readUpload(r, "file")
	if err != nil {
		return err
	}
	f := indicators.UnitFile{Kind: indicators.UnitFileKind(form.values.Get("kind")), Day: strings.TrimSpace(form.values.Get("day")),
		Complete: form.values.Get("complete") == "yes", Name: form.name, Data: form.data}
	v.Kind, v.ImportDay = string(f.Kind), f.Day
	// The page's search form has a "day" of its own.
	rename := map[string]string{"day": "import-day"}
	if err := f.Check(); errors.Is(err, indicators.ErrUnitFileKind) {
		return errBadRequest // the form offers only the two kinds
	} else if f.Data == nil {
		// No file chosen: say so, beside any other problem of the form.
		v.Errors = append(indicatorFieldErrors(v.L, err, rename), i18n.FieldError{Field: "file", Message: v.L.T("indicators.import.error.nofile")})
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-units", v)
	}
	res, rowErrs, err := indicators.ImportUnitFile(r.Context(), s.db, s.actor(r), f, s.now())
	if errors.Is(err, indicators.ErrNotTable) {
		v.Errors = []i18n.FieldError{{Field: "file", Message: importFileError(v.L, err)}}
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-units", v)
	}
	if errs := indicatorFieldErrors(v.L, err, rename); errs != nil {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-units", v)
	}
	if err != nil {
		return err
	}
	if len(rowErrs) > 0 {
		v.Problems = importProblems(&v.Page, rowErrs)
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "admin-units", v)
	}
	if res.Kind == indicators.UnitList {
		u := res.Units
		v.Result = v.L.T("indicators.admin.units.result", "Created", u.Created, "Changed", u.Changed, "Unchanged", u.Unchanged, "Closed", u.Closed)
	} else {
		v.Result = v.L.T("indicators.admin.units.mapping_result", "Replaced", res.Mappings.Replaced, "Unchanged", res.Mappings.Unchanged)
	}
	return s.render(w, r, "admin-units", v)
}

type adminUnitView struct {
	Page
	Unit         indicators.Unit
	Kind, Valid  string
	Versions     []adminUnitRow
	Successors   []adminLink
	Predecessors []adminLink
}

type adminLink struct {
	ID         int64
	Name, Kind string
	Share      string
}

// adminUnitsShow shows one unit version, the other versions of its code,
// and where its figures go (successors) or come from (predecessors).
func (s *indicatorsPart) adminUnitsShow(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	ctx := r.Context()
	u, err := indicators.UnitByID(ctx, s.db, id)
	if err != nil {
		return err
	}
	p := s.page(w, r, "indicators.admin.unit.title")
	en := p.Lang == i18n.EN
	v := adminUnitView{Page: p, Unit: *u, Kind: p.L.T(u.Kind.MsgID()), Valid: validText(p.L, *u)}
	versions, err := indicators.UnitVersions(ctx, s.db, u.Code)
	if err != nil {
		return err
	}
	for _, x := range versions {
		v.Versions = append(v.Versions, adminUnitRow{ID: x.ID, Code: x.Code, Name: x.DisplayName(en), Kind: p.L.T(x.Kind.MsgID()), Parent: x.ParentCode, Valid: validText(p.L, x)})
	}
	link := func(ss []indicators.Successor, other func(indicators.Successor) int64) ([]adminLink, error) {
		var out []adminLink
		for _, x := range ss {
			o, err := indicators.UnitByID(ctx, s.db, other(x))
			if err != nil {
				return nil, err
			}
			l := adminLink{ID: o.ID, Name: o.DisplayName(en) + " (" + o.Code + ")", Kind: p.L.T("indicators.admin.unit.full")}
			if !x.Full {
				l.Kind = p.L.T("indicators.admin.unit.partial")
			}
			l.Share = p.L.T("indicators.admin.unit.no_share")
			if x.Weight != nil {
				l.Share = p.L.Percent(*x.Weight * 100)
			}
			out = append(out, l)
		}
		return out, nil
	}
	succ, err := indicators.SuccessorsOf(ctx, s.db, u.ID)
	if err != nil {
		return err
	}
	if v.Successors, err = link(succ, func(x indicators.Successor) int64 { return x.NewUnitID }); err != nil {
		return err
	}
	pred, err := indicators.PredecessorsOf(ctx, s.db, u.ID)
	if err != nil {
		return err
	}
	if v.Predecessors, err = link(pred, func(x indicators.Successor) int64 { return x.OldUnitID }); err != nil {
		return err
	}
	return s.render(w, r, "admin-units-show", &v)
}

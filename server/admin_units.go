package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"digiportal/accounts"
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
func (s *Server) adminUnitsList(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminUnitsView(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin-units", v)
}

func (s *Server) adminUnitsView(w http.ResponseWriter, r *http.Request) (*adminUnitsView, error) {
	p := s.page(w, r, "indicators.admin.units.title")
	q := r.URL.Query()
	day := q.Get("day")
	if day == "" {
		day = indicators.Today(s.indicators.now())
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
func (s *Server) adminUnitsImport(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminUnitsView(w, r)
	if err != nil {
		return err
	}
	kind, day := r.FormValue("kind"), strings.TrimSpace(r.FormValue("day"))
	v.Kind, v.ImportDay = kind, day
	fail := func(field, msg string) error {
		v.Errors = append(v.Errors, i18n.FieldError{Field: field, Message: v.L.T(msg)})
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-units", v)
	}
	if kind != "units" && kind != "mapping" {
		return errBadRequest
	}
	// The day and the file are both checked before either problem shows.
	if !indicators.ValidDay(day) {
		v.Errors = append(v.Errors, i18n.FieldError{Field: "import-day", Message: v.L.T("indicators.admin.units.error.day")})
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return fail("file", "indicators.import.error.nofile")
	}
	defer file.Close()
	if len(v.Errors) > 0 {
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-units", v)
	}
	data, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	who := s.actor(r)
	var rowErrs []indicators.RowError
	err = s.db.RunInTx(r.Context(), nil, func(ctx context.Context, tx bun.Tx) error {
		switch kind {
		case "units":
			list, errs, err := indicators.ParseUnitList(data)
			if err != nil || len(errs) > 0 {
				rowErrs = errs
				return err
			}
			res, err := indicators.ImportUnits(ctx, tx, list, day, "import", r.FormValue("complete") == "yes")
			if err != nil {
				return err
			}
			v.Result = v.L.T("indicators.admin.units.result", "Created", res.Created, "Changed", res.Changed, "Unchanged", res.Unchanged, "Closed", res.Closed)
		default:
			rows, errs, err := indicators.ParseMappings(data)
			if err != nil || len(errs) > 0 {
				rowErrs = errs
				return err
			}
			res, err := indicators.ImportMappings(ctx, tx, rows, day)
			if err != nil || len(res.Errors) > 0 {
				rowErrs = res.Errors
				return err
			}
			v.Result = v.L.T("indicators.admin.units.mapping_result", "Replaced", res.Replaced, "Unchanged", res.Unchanged)
		}
		if err := indicators.RebuildRollups(ctx, tx, s.indicators.now()); err != nil {
			return err
		}
		return accounts.RecordAudit(ctx, tx, accounts.AuditEntry{ActorID: who.UserID, ActorEmail: who.Email, IP: who.IP,
			Action: "indicators.units_import", ObjectType: "org_units", ObjectID: kind + "/" + day, Detail: v.Result})
	})
	if errors.Is(err, indicators.ErrNotTable) {
		return fail("file", "indicators.import.error.unreadable")
	}
	if err != nil {
		return err
	}
	if len(rowErrs) > 0 {
		v.Result = ""
		v.Problems = importProblems(&v.Page, rowErrs)
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "admin-units", v)
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
func (s *Server) adminUnitsShow(w http.ResponseWriter, r *http.Request) error {
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

package server

import (
	"net/http"
	"strconv"

	"digiportal/i18n"
	"digiportal/indicators"
)

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

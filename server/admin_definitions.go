package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
)

type adminDefsView struct {
	Page
	Elements   []indicators.Element
	Indicators []indicators.Indicator
	Targets    []adminTargetRow
	Options    []indOption
	JumpShare  string
	HomeUnit   string
	Done       string
	Form       targetForm
}

type adminTargetRow struct {
	ID                                   int64
	Indicator, Year, Value, Unit, Source string
}

// targetForm is a new target as typed.
type targetForm struct {
	Indicator string `form:"indicator,choice" validate:"required" label:"indicators.col.indicator" msg:"required=indicators.admin.defs.error.indicator"`
	Year      int    `form:"year" validate:"gte=2000,lte=2100" label:"indicators.admin.defs.year" msg:"gte|lte=indicators.admin.error.year"`
	Value     string `form:"value" validate:"required,max=10" label:"indicators.admin.defs.target_value" msg:"required=indicators.admin.error.value_missing,max=indicators.admin.defs.error.value"`
	Strict    bool   `form:"strict"`
	Unit      string `form:"unit" validate:"max=10" label:"indicators.admin.defs.target_unit" msg:"max=indicators.admin.error.unit_long"`
	SourceVI  string `form:"source_vi" validate:"required,max=500" label:"indicators.admin.defs.source_vi" msg:"required=indicators.admin.error.source_vi_missing,max=indicators.admin.error.source_vi_long"`
	SourceEN  string `form:"source_en" validate:"required,max=500" label:"indicators.admin.defs.source_en" msg:"required=indicators.admin.error.source_en_missing,max=indicators.admin.error.source_en_long"`
}

// adminDefinitions lists the data elements, indicators and targets, with the
// settings of data entry: the share of change that warns and the
// portal's province.
func (s *Server) adminDefinitions(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminDefsView(w, r)
	if err != nil {
		return err
	}
	if d := r.URL.Query().Get("done"); d == "saved" || d == "deleted" {
		v.Done = "indicators.admin.defs.done." + d
	}
	return s.render(w, r, "admin-definitions", v)
}

func (s *Server) adminDefsView(w http.ResponseWriter, r *http.Request) (*adminDefsView, error) {
	p := s.page(w, r, "indicators.admin.definitions.title")
	ctx := r.Context()
	en := p.Lang == i18n.EN
	v := &adminDefsView{Page: p, Form: targetForm{Year: 2030}}
	var err error
	if v.Elements, err = indicators.Elements(ctx, s.db); err != nil {
		return nil, err
	}
	if v.Indicators, err = indicators.Indicators(ctx, s.db); err != nil {
		return nil, err
	}
	ts, err := indicators.Targets(ctx, s.db)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, in := range v.Indicators {
		names[in.ID] = in.Name(en)
		v.Options = append(v.Options, indOption{in.Code, in.Name(en)})
	}
	n := indNumbers{p.L}
	for _, t := range ts {
		unit := t.UnitCode
		if unit == "" {
			unit = p.L.T("indicators.admin.defs.national")
		}
		v.Targets = append(v.Targets, adminTargetRow{ID: t.ID, Indicator: names[t.IndicatorID], Year: strconv.Itoa(t.Year), Value: n.target(&t), Unit: unit, Source: t.Source(en)})
	}
	share, err := indicators.JumpShare(ctx, s.db)
	if err != nil {
		return nil, err
	}
	v.JumpShare = strconv.FormatFloat(share*100, 'f', -1, 64)
	if v.HomeUnit, err = indicators.HomeUnit(ctx, s.db); err != nil {
		return nil, err
	}
	return v, nil
}

// adminDefinitionsSettings saves the warning share and the home unit.
func (s *Server) adminDefinitionsSettings(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	v, err := s.adminDefsView(w, r)
	if err != nil {
		return err
	}
	// Both settings are checked before either problem is shown.
	share, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(r.PostForm.Get("jump")), ",", "."), 64)
	if err != nil || share <= 0 || share > 1000 {
		v.Errors = append(v.Errors, i18n.FieldError{Field: "jump", Message: v.L.T("indicators.admin.defs.error.jump")})
	}
	home := strings.TrimSpace(r.PostForm.Get("home"))
	ctx := r.Context()
	if home != "" {
		if _, err := indicators.UnitByCode(ctx, s.db, home, indicators.Today(s.indicators.now())); err != nil {
			v.Errors = append(v.Errors, i18n.FieldError{Field: "home", Message: v.L.T("indicators.admin.defs.error.home")})
		}
	}
	if len(v.Errors) > 0 {
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions", v)
	}
	who := s.actor(r)
	err = s.db.RunInTx(ctx, nil, func(ctx contextT, tx bun.Tx) error {
		old, _ := indicators.JumpShare(ctx, tx)
		oldHome, _ := indicators.HomeUnit(ctx, tx)
		if err := indicators.SetJumpShare(ctx, tx, share/100); err != nil {
			return err
		}
		if err := indicators.SetHomeUnit(ctx, tx, home); err != nil {
			return err
		}
		return accounts.RecordAudit(ctx, tx, accounts.AuditEntry{ActorID: who.UserID, ActorEmail: who.Email, IP: who.IP,
			Action: "indicators.settings", ObjectType: "indicator_settings", ObjectID: "entry",
			Old: fmt.Sprintf("jump=%v home=%s", old, oldHome), New: fmt.Sprintf("jump=%v home=%s", share/100, home)})
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/definitions?done=saved", http.StatusSeeOther)
	return nil
}

// adminDefinitionsTargetSave adds a target (or replaces the one of the same
// indicator, year and unit): targets are data, so a province adds its own.
func (s *Server) adminDefinitionsTargetSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	v, err := s.adminDefsView(w, r)
	if err != nil {
		return err
	}
	year, _ := strconv.Atoi(r.PostForm.Get("year"))
	f := targetForm{Indicator: r.PostForm.Get("indicator"), Year: year, Value: strings.TrimSpace(r.PostForm.Get("value")),
		Strict: r.PostForm.Get("strict") == "yes", Unit: strings.TrimSpace(r.PostForm.Get("unit")),
		SourceVI: strings.TrimSpace(r.PostForm.Get("source_vi")), SourceEN: strings.TrimSpace(r.PostForm.Get("source_en"))}
	v.Form = f
	v.Errors = v.L.Validate(&f)
	value, perr := strconv.ParseFloat(strings.ReplaceAll(f.Value, ",", "."), 64)
	if f.Value != "" && !i18n.HasErrorFor(v.Errors, "value") && (perr != nil || value <= 0 || value > 100) {
		v.Errors = append(v.Errors, i18n.FieldError{Field: "value", Message: v.L.T("indicators.admin.defs.error.value")})
	}
	ctx := r.Context()
	in, err := indicators.IndicatorByCode(ctx, s.db, f.Indicator)
	if !i18n.HasErrorFor(v.Errors, "indicator") && (errors.Is(err, indicators.ErrBadQuery) || (err != nil && f.Indicator != "")) {
		v.Errors = append(v.Errors, i18n.FieldError{Field: "indicator", Message: v.L.T("indicators.admin.defs.error.indicator")})
	}
	if len(v.Errors) > 0 {
		v.Errors = i18n.InFieldOrder(v.Errors, "indicator", "year", "value", "unit", "source_vi", "source_en")
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions", v)
	}
	t := indicators.Target{IndicatorID: in.ID, Year: f.Year, Value: value, Strict: f.Strict, UnitCode: f.Unit, SourceVI: f.SourceVI, SourceEN: f.SourceEN}
	who := s.actor(r)
	err = s.db.RunInTx(ctx, nil, func(ctx contextT, tx bun.Tx) error {
		if err := indicators.SaveTarget(ctx, tx, &t); err != nil {
			return err
		}
		return accounts.RecordAudit(ctx, tx, accounts.AuditEntry{ActorID: who.UserID, ActorEmail: who.Email, IP: who.IP,
			Action: "indicators.target_saved", ObjectType: "indicator_target", ObjectID: fmt.Sprintf("%s/%d/%s", in.Code, t.Year, t.UnitCode),
			New: fmt.Sprintf("%v strict=%v", t.Value, t.Strict), Detail: t.SourceVI})
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/definitions?done=saved", http.StatusSeeOther)
	return nil
}

// adminDefinitionsTargetDelete removes a target.
func (s *Server) adminDefinitionsTargetDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	who := s.actor(r)
	err = s.db.RunInTx(r.Context(), nil, func(ctx contextT, tx bun.Tx) error {
		if err := indicators.DeleteTarget(ctx, tx, id); err != nil {
			return err
		}
		return accounts.RecordAudit(ctx, tx, accounts.AuditEntry{ActorID: who.UserID, ActorEmail: who.Email, IP: who.IP,
			Action: "indicators.target_deleted", ObjectType: "indicator_target", ObjectID: strconv.FormatInt(id, 10)})
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/definitions?done=deleted", http.StatusSeeOther)
	return nil
}

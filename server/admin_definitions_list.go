package server

import (
	"net/http"
	"strconv"
	"strings"

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
	Indicator string `form:"indicator" validate:"required" label:"indicators.col.indicator"`
	Year      int    `form:"year" validate:"gte=2000,lte=2100" label:"indicators.admin.defs.year"`
	Value     string `form:"value" validate:"required,max=10" label:"indicators.admin.defs.target_value"`
	Strict    bool   `form:"strict"`
	Unit      string `form:"unit" validate:"max=10" label:"indicators.admin.defs.target_unit"`
	SourceVI  string `form:"source_vi" validate:"required,max=500" label:"indicators.admin.defs.source_vi"`
	SourceEN  string `form:"source_en" validate:"required,max=500" label:"indicators.admin.defs.source_en"`
}

// adminDefinitions lists the data elements, indicators and targets, with the
// settings of data entry: the share of change that warns and the
// portal's province.
func (s *indicatorsPart) adminDefinitions(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminDefsView(w, r)
	if err != nil {
		return err
	}
	if d := r.URL.Query().Get("done"); d == "saved" || d == "deleted" {
		v.Done = "indicators.admin.defs.done." + d
	}
	return s.render(w, r, "admin-definitions", v)
}

func (s *indicatorsPart) adminDefsView(w http.ResponseWriter, r *http.Request) (*adminDefsView, error) {
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
func (s *indicatorsPart) adminDefinitionsSettings(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	v, err := s.adminDefsView(w, r)
	if err != nil {
		return err
	}
	set := indicators.Settings{JumpShare: decimalInput(r.PostForm.Get("jump")) / 100, HomeUnit: r.PostForm.Get("home")}
	err = indicators.SaveSettings(r.Context(), s.db, s.actor(r), set, s.now())
	if errs := indicatorFieldErrors(v.L, err, nil); errs != nil {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions", v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/definitions?done=saved", http.StatusSeeOther)
	return nil
}

// adminDefinitionsTargetSave adds a target (or replaces the one of the same
// indicator, year and unit): targets are data, so a province adds its own.
func (s *indicatorsPart) adminDefinitionsTargetSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	v, err := s.adminDefsView(w, r)
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("year")))
	if err != nil {
		year = 0 // the form and the domain both refuse it
	}
	f := targetForm{Indicator: r.PostForm.Get("indicator"), Year: year, Value: strings.TrimSpace(r.PostForm.Get("value")),
		Strict: r.PostForm.Get("strict") == "yes", Unit: strings.TrimSpace(r.PostForm.Get("unit")),
		SourceVI: strings.TrimSpace(r.PostForm.Get("source_vi")), SourceEN: strings.TrimSpace(r.PostForm.Get("source_en"))}
	in := indicators.TargetInput{Indicator: f.Indicator, Year: f.Year, Value: decimalInput(f.Value), Strict: f.Strict, Unit: f.Unit, SourceVI: f.SourceVI, SourceEN: f.SourceEN}
	v.Form = f
	if errs := v.L.Validate(&f); len(errs) > 0 {
		v.Errors = withFieldErrors(errs, indicatorFieldErrors(v.L, in.Check(), nil))
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions", v)
	}
	err = indicators.SaveTarget(r.Context(), s.db, s.actor(r), in)
	if errs := indicatorFieldErrors(v.L, err, nil); errs != nil {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions", v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/definitions?done=saved", http.StatusSeeOther)
	return nil
}

// adminDefinitionsTargetDelete removes a target.
func (s *indicatorsPart) adminDefinitionsTargetDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if err := indicators.DeleteTarget(r.Context(), s.db, s.actor(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/definitions?done=deleted", http.StatusSeeOther)
	return nil
}

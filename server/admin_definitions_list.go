package server

import (
	"net/http"
	"strconv"

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
	// CompleteShare is the share, in percent, that makes a month complete.
	CompleteShare string
	HomeUnit      string
	Done          string
	Form          targetForm
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

// adminDefinitionsList lists the data elements, indicators and targets, with the
// settings of data entry: the share of change that warns and the
// portal's province.
func (s *indicatorsPart) adminDefinitionsList(w http.ResponseWriter, r *http.Request) error {
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
	complete, err := indicators.CompleteShare(ctx, s.db)
	if err != nil {
		return nil, err
	}
	v.CompleteShare = strconv.FormatFloat(complete*100, 'f', -1, 64)
	if v.HomeUnit, err = indicators.HomeUnit(ctx, s.db); err != nil {
		return nil, err
	}
	return v, nil
}

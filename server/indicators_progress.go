package server

import (
	"math"
	"net/http"

	"digiportal/indicators"
)

type indProgressView struct {
	Page
	UnitName string
	Latest   string
	HasData  bool
	Items    []indProgressItem
	Chart    any
	Source   string
}

type indProgressItem struct {
	Code, Name, Value, Target2025, Target2030, Sentence string
	State                                               string
}

// indicatorsProgress is the public page of the province's progress toward
// the targets of Decision 411/QĐ-TTg, in plain words, with a chart and the
// same indNumbers in a table, for anyone to link to.
func (s *indicatorsPart) indicatorsProgress(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "indicators.progress.title")
	ctx := r.Context()
	now := s.now()
	from, to := indicators.DefaultRange(now)
	d, err := indicators.BuildDashboard(ctx, s.db, indicators.Query{From: from, To: to}, now)
	if err != nil {
		return err
	}
	targets, err := indicators.Targets(ctx, s.db)
	if err != nil {
		return err
	}
	n := indNumbers{p.L}
	en := p.Lang == "en"
	v := indProgressView{Page: p, HasData: !d.Latest.IsZero(), UnitName: p.L.T("indicators.nation")}
	if d.Unit != nil {
		v.UnitName = d.Unit.DisplayName(en)
	}
	codes := []string{}
	if d.Unit != nil {
		codes = append(codes, d.Unit.Code)
	}
	if v.HasData {
		v.Latest = indPeriodLabel(p.L, d.Latest)
	}
	var bars []indPoint
	for _, row := range d.Rows {
		t25 := indicators.TargetFor(targets, row.Indicator.ID, 2025, codes)
		t30 := indicators.TargetFor(targets, row.Indicator.ID, 2030, codes)
		it := indProgressItem{Code: row.Indicator.Code, Name: row.Indicator.Name(en), Value: n.pct(row.Latest), Target2025: n.target(t25), Target2030: n.target(t30)}
		switch {
		case !row.Latest.Has():
			it.Sentence = p.L.T("indicators.progress.sentence.nodata", "Name", it.Name)
		case t25 == nil:
			it.Sentence = p.L.T("indicators.progress.sentence.notarget", "Name", it.Name, "Value", it.Value, "Month", v.Latest)
		case t25.Met(row.Latest.Percent):
			it.State = "ok"
			it.Sentence = p.L.T("indicators.progress.sentence.met", "Name", it.Name, "Value", it.Value, "Month", v.Latest, "Target", n.targetWords(t25))
		default:
			it.State = "bad"
			gap := p.L.Decimal(math.Max(0, t25.Value-row.Latest.Percent), 1)
			it.Sentence = p.L.T("indicators.progress.sentence.below", "Name", it.Name, "Value", it.Value, "Month", v.Latest, "Target", n.targetWords(t25), "Gap", gap)
		}
		v.Items = append(v.Items, it)
		tv := math.NaN()
		if t25 != nil {
			tv = t25.Value
		}
		bars = append(bars, indPoint{Label: it.Name, Value: row.Latest.Percent, Text: it.Value + " / " + n.target(t25), Target: tv})
	}
	if len(targets) > 0 {
		v.Source = targets[0].Source(en)
	}
	v.Chart = progressChart("progress", p.L.T("indicators.progress.chart_title", "Unit", v.UnitName, "Month", v.Latest), p.L.T("indicators.progress.chart_desc"), bars)
	return s.render(w, r, "indicators-progress", &v)
}

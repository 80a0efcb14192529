package server

import (
	"math"
	"net/http"
	"time"

	"digiportal/indicators"
)

// The target years the progress page sets side by side: Decision 411/QĐ-TTg
// sets targets for 2025 and for 2030.
const (
	progressYear     = 2025
	progressNextYear = 2030
)

type indProgressView struct {
	Page
	UnitName string
	Latest   string
	HasData  bool
	Passed   string // says the first target year's deadline has passed, once it has
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
// same indNumbers in a table, for anyone to link to. Until the end of 2025
// it measures against the 2025 targets; after that it says their deadline
// has passed and measures against the 2030 targets, by the server's clock.
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
	passed := indicators.DeadlinePassed(progressYear, now)
	chartYear := progressYear
	if passed {
		chartYear = progressNextYear
		deadline := time.Date(progressYear, time.December, 31, 12, 0, 0, 0, time.UTC)
		v.Passed = p.L.T("indicators.progress.passed", "Year", progressYear, "Date", p.L.Date(deadline), "Next", progressNextYear)
	}
	var bars []indPoint
	for _, row := range d.Rows {
		t25 := indicators.TargetFor(targets, row.Indicator.ID, progressYear, codes)
		t30 := indicators.TargetFor(targets, row.Indicator.ID, progressNextYear, codes)
		it := indProgressItem{Code: row.Indicator.Code, Name: row.Indicator.Name(en), Value: n.pct(row.Latest), Target2025: n.target(t25), Target2030: n.target(t30)}
		it.Sentence, it.State = progressSentence(n, it, row.Latest, v.Latest, t25, t30, passed)
		v.Items = append(v.Items, it)
		shown := t25
		if chartYear == progressNextYear {
			shown = t30
		}
		tv := math.NaN()
		if shown != nil {
			tv = shown.Value
		}
		bars = append(bars, indPoint{Label: it.Name, Value: row.Latest.Percent, Text: it.Value + " / " + n.target(shown), Target: tv})
	}
	if len(targets) > 0 {
		v.Source = targets[0].Source(en)
	}
	v.Chart = progressChart("progress", p.L.T("indicators.progress.chart_title", "Unit", v.UnitName, "Month", v.Latest, "Year", chartYear),
		p.L.T("indicators.progress.chart_desc", "Year", chartYear), bars)
	return s.render(w, r, "indicators-progress", &v)
}

// progressSentence words one indicator's standing in month, and says whether
// it meets the target the page measures against ("ok", "bad", or "" when
// there is none): before the first deadline, the first year's target; after
// it, how the first year ended and how far the next year's target is.
func progressSentence(n indNumbers, it indProgressItem, f indicators.Figure, month string, first, next *indicators.Target, passed bool) (string, string) {
	l := n.L
	base := []any{"Name", it.Name, "Value", it.Value, "Month", month}
	with := func(kv ...any) []any { return append(append([]any{}, base...), kv...) }
	gap := func(t *indicators.Target) string { return l.Decimal(math.Max(0, t.Value-f.Percent), 1) }
	switch {
	case !f.Has():
		return l.T("indicators.progress.sentence.nodata", "Name", it.Name), ""
	case first == nil && (!passed || next == nil):
		return l.T("indicators.progress.sentence.notarget", base...), ""
	case !passed && first.Met(f.Percent):
		return l.T("indicators.progress.sentence.met", with("Year", progressYear, "Target", n.targetWords(first))...), "ok"
	case !passed:
		return l.T("indicators.progress.sentence.below", with("Year", progressYear, "Target", n.targetWords(first), "Gap", gap(first))...), "bad"
	}
	var s string
	switch {
	case first == nil:
		s = l.T("indicators.progress.sentence.value", base...)
	case first.Met(f.Percent):
		s = l.T("indicators.progress.sentence.passed_met", with("Year", progressYear, "Target", n.targetWords(first))...)
	default:
		s = l.T("indicators.progress.sentence.passed_below", with("Year", progressYear, "Target", n.targetWords(first), "Gap", gap(first))...)
	}
	ns, state := nextSentence(n, f, next, gap)
	return s + " " + ns, state
}

// nextSentence words where an indicator stands against the next year's
// target, once the first year's deadline has passed.
func nextSentence(n indNumbers, f indicators.Figure, next *indicators.Target, gap func(*indicators.Target) string) (string, string) {
	l := n.L
	switch {
	case next == nil:
		return l.T("indicators.progress.sentence.next_none", "Year", progressNextYear), ""
	case next.Met(f.Percent):
		return l.T("indicators.progress.sentence.next_met", "Year", progressNextYear, "Target", n.targetWords(next)), "ok"
	}
	return l.T("indicators.progress.sentence.next_below", "Year", progressNextYear, "Target", n.targetWords(next), "Gap", gap(next)), "bad"
}

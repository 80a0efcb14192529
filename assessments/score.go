package assessments

import (
	"fmt"
	"math"
	"sort"
)

// The scoring of the self-assessment. Everything here is pure: the same
// model and answers always give the same result, so a stored response can be
// scored again at any time under the model version it keeps.
//
// Where the rules come from: the SME index of Decision 1970/QĐ-BTTTT
// (13 December 2021) gives the six pillars 320 points — customer experience
// 65, strategy 25, infrastructure and technology 80, operations 65, culture
// 50, data and information assets 35. A pillar's level follows the share of
// its maximum it reached (<10% → 0, ≤20% → 1, ≤40% → 2, ≤60% → 3, ≤80% → 4,
// above → 5). The overall level is the highest level L whose points threshold
// is passed (above 20, 64, 128, 192 or 256 points for L = 1…5) AND that has
// enough pillars at level L or above (4 for levels 1–3, 5 for level 4, all 6
// for level 5). These figures are as quoted by public implementations of the
// decision's tables; the official annex is unconfirmed (REFERENCES.md). The
// framework was revised by Decision 2158/QĐ-BTTTT in 2023 and again in 2025,
// which is why the figures live in the model's data file and every response
// keeps its model version: a new model is added beside this one without
// touching old results.
//
// Our questions are not the official questionnaire, so each item is scored
// to [0,1] (see Item.Score), a pillar's percentage is the weighted mean of
// its applicable items × 100, and its points are that share of the pillar's
// points.

// precision rounds percentages and points before they are banded, so that
// floating-point noise (0.30000000000000004) never moves a level across a
// boundary: a pillar at exactly 20% is level 1 however its mean was summed.
const precision = 1e6

func round(x float64) float64 { return math.Round(x*precision) / precision }

// PillarResult is one pillar's outcome.
type PillarResult struct {
	ID        string
	Percent   float64 // 0–100
	Level     int     // 0–5
	Points    float64 // Percent of the pillar's points
	MaxPoints int
}

// Result is the outcome of a complete response.
type Result struct {
	Version   string
	Pillars   []PillarResult // in model order
	Points    float64        // of MaxPoints
	MaxPoints int
	Percent   float64 // Points as a percentage of MaxPoints
	Level     int
}

// IncompleteError lists the items that keep a response from being scored.
type IncompleteError struct {
	Items []string
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("assessments: %d items unanswered or invalid", len(e.Items))
}

// Score computes the result of a response. Every scored item must hold a
// complete, valid answer; otherwise it returns an *IncompleteError.
func (m *Model) Score(answers Answers) (Result, error) {
	res := Result{Version: m.Version, MaxPoints: m.TotalPoints()}
	var missing []string
	levels := make([]int, 0, len(m.Pillars))
	for _, p := range m.Pillars {
		var num, den float64
		for i := range p.Items {
			it := &p.Items[i]
			s, applies, err := it.Score(answers[it.ID])
			if err != nil {
				missing = append(missing, it.ID)
				continue
			}
			if applies {
				num += it.Weight * s
				den += it.Weight
			}
		}
		pct := 0.0
		if den > 0 { // the model check keeps one required item per pillar
			pct = round(100 * num / den)
		}
		pr := PillarResult{
			ID:        p.ID,
			Percent:   pct,
			Level:     m.Rules.PillarLevel(pct),
			Points:    round(pct / 100 * float64(p.Points)),
			MaxPoints: p.Points,
		}
		res.Pillars = append(res.Pillars, pr)
		levels = append(levels, pr.Level)
		res.Points += pr.Points
	}
	if len(missing) > 0 {
		return Result{}, &IncompleteError{Items: missing}
	}
	res.Points = round(res.Points)
	res.Percent = round(100 * res.Points / float64(res.MaxPoints))
	res.Level = m.Rules.OverallLevel(res.Points, levels)
	return res, nil
}

// PillarLevel bands a pillar percentage: below Level0Below → 0; up to and
// including LevelUpper[0] → 1, [1] → 2, [2] → 3, [3] → 4; above → 5.
func (r Rules) PillarLevel(percent float64) int {
	if percent < r.Level0Below {
		return 0
	}
	for i, upper := range r.LevelUpper {
		if percent <= upper {
			return i + 1
		}
	}
	return len(r.LevelUpper) + 1
}

// OverallLevel is the highest level L whose threshold the points pass
// (strictly above Thresholds[L-1]) and that at least MinPillars[L-1] pillars
// reach; 0 when none.
func (r Rules) OverallLevel(points float64, pillarLevels []int) int {
	for l := len(r.Thresholds); l >= 1; l-- {
		if points <= r.Thresholds[l-1] {
			continue
		}
		n := 0
		for _, pl := range pillarLevels {
			if pl >= l {
				n++
			}
		}
		if n >= r.MinPillars[l-1] {
			return l
		}
	}
	return 0
}

// EUBand is the band of the EU Digital Maturity Assessment (European
// Digital Innovation Hubs) an overall percentage falls in. It is shown
// beside the Vietnamese level for comparison only: the EU tool averages its
// own six dimensions, so the same business would not score the same there.
type EUBand int

// The EU DMA bands: "Basic 0–25" is official; 26–50, 51–75 and 76–100 are
// the bands commonly used with it.
const (
	EUBasic EUBand = iota
	EUAverage
	EUModeratelyAdvanced
	EUAdvanced
)

// EUBandOf bands a percentage after rounding it to a whole number, as the
// EU bands are written in whole numbers.
func EUBandOf(percent float64) EUBand {
	switch p := math.Round(percent); {
	case p <= 25:
		return EUBasic
	case p <= 50:
		return EUAverage
	case p <= 75:
		return EUModeratelyAdvanced
	}
	return EUAdvanced
}

// MsgID is the message ID of the band's name.
func (b EUBand) MsgID() string {
	return [...]string{"assessment.eu.basic", "assessment.eu.average", "assessment.eu.moderate", "assessment.eu.advanced"}[b]
}

// Gap is an item that cost the business points.
type Gap struct {
	Pillar string
	Item   *Item
	Lost   float64 // points of the overall score the item did not earn
}

// Gaps returns up to n items that lost the most points of the overall
// score: the pillar's points × the item's share of the pillar's applicable
// weight × (1 − its score). Ties keep the model's order. Unanswered items
// are skipped, so it works on an incomplete response too.
func (m *Model) Gaps(answers Answers, n int) []Gap {
	var gaps []Gap
	for _, p := range m.Pillars {
		den := 0.0
		type scored struct {
			it *Item
			s  float64
		}
		var items []scored
		for i := range p.Items {
			it := &p.Items[i]
			s, applies, err := it.Score(answers[it.ID])
			if err != nil || !applies {
				continue
			}
			den += it.Weight
			items = append(items, scored{it, s})
		}
		for _, x := range items {
			if lost := round(float64(p.Points) * x.it.Weight / den * (1 - x.s)); lost > 0 {
				gaps = append(gaps, Gap{Pillar: p.ID, Item: x.it, Lost: lost})
			}
		}
	}
	sort.SliceStable(gaps, func(i, j int) bool { return gaps[i].Lost > gaps[j].Lost })
	if len(gaps) > n {
		gaps = gaps[:n]
	}
	return gaps
}

// Advice is a recommendation for one pillar of a result.
type Advice struct {
	Pillar *Pillar
	Result PillarResult
	*Recommendation
}

// weakBelow is the level under which a pillar counts as weak: below Nâng
// cao (advanced).
const weakBelow = 4

// Advise returns the recommendations for the result's weak pillars (below
// level 4), weakest first. When no pillar is weak it returns the advice for
// the lowest pillar, so there is always a next step.
func (m *Model) Advise(res Result) []Advice {
	order := make([]PillarResult, len(res.Pillars))
	copy(order, res.Pillars)
	sort.SliceStable(order, func(i, j int) bool { return order[i].Percent < order[j].Percent })
	var out []Advice
	for _, pr := range order {
		if pr.Level >= weakBelow && len(out) > 0 {
			break
		}
		p, _ := m.Pillar(pr.ID)
		rec, ok := m.Recommendation(pr.ID, pr.Level)
		if p == nil || !ok {
			continue
		}
		out = append(out, Advice{Pillar: p, Result: pr, Recommendation: rec})
		if pr.Level >= weakBelow {
			break
		}
	}
	return out
}

// PageProgress is how far a question page is answered.
type PageProgress struct {
	Page     string
	Answered int
	Required int
}

// Complete reports whether every required item of the page is answered.
func (p PageProgress) Complete() bool { return p.Answered >= p.Required }

// Progress returns, for every question page, how many required items hold
// a complete, valid answer.
func (m *Model) Progress(answers Answers) []PageProgress {
	var out []PageProgress
	for _, page := range m.Pages() {
		items, _ := m.PageItems(page)
		pp := PageProgress{Page: page}
		for i := range items {
			it := &items[i]
			if it.Optional {
				continue
			}
			pp.Required++
			if it.Check(answers[it.ID]) == nil {
				pp.Answered++
			}
		}
		out = append(out, pp)
	}
	return out
}

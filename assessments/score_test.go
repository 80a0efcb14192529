package assessments

import (
	"errors"
	"math"
	"testing"
)

func pct(v float64) *float64 { return &v }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-4 }

// testModel is a small model with the dbi-2021 rules, for scoring rules
// that do not depend on the real questions.
const testModel = `
version = "test"
title = { vi = "t", en = "t" }
[[levels]]
level = 0
name = { vi = "0", en = "0" }
description = { vi = "0", en = "0" }
[[levels]]
level = 1
name = { vi = "1", en = "1" }
description = { vi = "1", en = "1" }
[[levels]]
level = 2
name = { vi = "2", en = "2" }
description = { vi = "2", en = "2" }
[[levels]]
level = 3
name = { vi = "3", en = "3" }
description = { vi = "3", en = "3" }
[[levels]]
level = 4
name = { vi = "4", en = "4" }
description = { vi = "4", en = "4" }
[[levels]]
level = 5
name = { vi = "5", en = "5" }
description = { vi = "5", en = "5" }
[rules]
level0_below = 10.0
level_upper = [20.0, 40.0, 60.0, 80.0]
thresholds = [20.0, 64.0, 128.0, 192.0, 256.0]
min_pillars = [1, 1, 1, 2, 2]
[[pillars]]
id = "a"
points = 60
name = { vi = "a", en = "a" }
short = { vi = "a", en = "a" }
intro = { vi = "a", en = "a" }
  [[pillars.items]]
  id = "gate"
  type = "gate-ladder"
  weight = 2
  text = { vi = "g", en = "g" }
  short = { vi = "g", en = "g" }
  ladder_text = { vi = "l", en = "l" }
  ladder = [{ vi = "1", en = "1" }, { vi = "2", en = "2" }, { vi = "3", en = "3" }, { vi = "4", en = "4" }, { vi = "5", en = "5" }]
  [[pillars.items]]
  id = "ypn"
  type = "ypn"
  weight = 1
  allow_na = true
  na_text = { vi = "na", en = "na" }
  text = { vi = "y", en = "y" }
  short = { vi = "y", en = "y" }
  [[pillars.items]]
  id = "scale"
  type = "scale"
  weight = 1
  allow_na = true
  na_text = { vi = "na", en = "na" }
  text = { vi = "s", en = "s" }
  short = { vi = "s", en = "s" }
  low = { vi = "0", en = "0" }
  high = { vi = "5", en = "5" }
[[pillars]]
id = "b"
points = 260
name = { vi = "b", en = "b" }
short = { vi = "b", en = "b" }
intro = { vi = "b", en = "b" }
  [[pillars.items]]
  id = "list"
  type = "checklist"
  weight = 1
  text = { vi = "c", en = "c" }
  short = { vi = "c", en = "c" }
    [[pillars.items.options]]
    id = "x"
    weight = 3
    text = { vi = "x", en = "x" }
    [[pillars.items.options]]
    id = "y"
    weight = 1
    text = { vi = "y", en = "y" }
    [[pillars.items.options]]
    id = "bad"
    weight = -2
    text = { vi = "b", en = "b" }
    [[pillars.items.options]]
    id = "none"
    weight = 0
    exclusive = true
    text = { vi = "n", en = "n" }
  [[pillars.items]]
  id = "ratio"
  type = "ratio"
  weight = 1
  text = { vi = "r", en = "r" }
  short = { vi = "r", en = "r" }
  bands = [{ from = 0.0, score = 0.0 }, { from = 10.0, score = 0.5 }, { from = 50.0, score = 1.0 }]
`

func loadTestModel(t *testing.T) *Model {
	t.Helper()
	var recs string
	for _, p := range []string{"a", "b"} {
		for l := range 6 {
			recs += "[[recommendations]]\npillar = \"" + p + "\"\nlevel = " + string(rune('0'+l)) + "\ntext = { vi = \"r\", en = \"r\" }\n"
		}
	}
	m, err := parseModel([]byte(testModel + recs))
	if err != nil {
		t.Fatalf("test model: %v", err)
	}
	return m
}

func TestItemScore(t *testing.T) {
	m := loadTestModel(t)
	item := func(id string) *Item { it, _ := m.Item(id); return it }
	tests := []struct {
		item        string
		a           Answer
		want        float64
		wantApplies bool
		wantErr     error
	}{
		{"gate", Answer{Choice: "no"}, 0, true, nil},
		{"gate", Answer{Choice: "no", Rung: 4}, 0, true, nil}, // a rung after "no" counts for nothing
		{"gate", Answer{Choice: "yes", Rung: 1}, 0.2, true, nil},
		{"gate", Answer{Choice: "yes", Rung: 3}, 0.6, true, nil},
		{"gate", Answer{Choice: "yes", Rung: 5}, 1, true, nil},
		{"gate", Answer{Choice: "yes"}, 0, true, ErrUnanswered},
		{"gate", Answer{Choice: "yes", Rung: 6}, 0, true, ErrInvalidAnswer},
		{"gate", Answer{Choice: "na"}, 0, false, ErrInvalidAnswer}, // not offered on this item
		{"gate", Answer{}, 0, true, ErrUnanswered},
		{"ypn", Answer{Choice: "yes"}, 1, true, nil},
		{"ypn", Answer{Choice: "partial"}, 0.5, true, nil},
		{"ypn", Answer{Choice: "no"}, 0, true, nil},
		{"ypn", Answer{Choice: "na"}, 0, false, nil},
		{"ypn", Answer{Choice: "maybe"}, 0, true, ErrInvalidAnswer},
		{"scale", Answer{Choice: "0"}, 0, true, nil},
		{"scale", Answer{Choice: "2"}, 0.4, true, nil},
		{"scale", Answer{Choice: "5"}, 1, true, nil},
		{"scale", Answer{Choice: "6"}, 0, true, ErrInvalidAnswer},
		{"scale", Answer{Choice: "03"}, 0, true, ErrInvalidAnswer},
		{"scale", Answer{Choice: "na"}, 0, false, nil},
		{"list", Answer{Checked: []string{"x"}}, 0.75, true, nil},
		{"list", Answer{Checked: []string{"x", "y"}}, 1, true, nil},
		{"list", Answer{Checked: []string{"y", "bad"}}, 0, true, nil},    // -1/4 clamped at 0
		{"list", Answer{Checked: []string{"x", "bad"}}, 0.25, true, nil}, // (3-2)/4
		{"list", Answer{Checked: []string{"x", "y", "bad"}}, 0.5, true, nil},
		{"list", Answer{Checked: []string{"none"}}, 0, true, nil},
		{"list", Answer{Checked: []string{"none", "x"}}, 0, true, ErrExclusive},
		{"list", Answer{Checked: []string{"x", "x"}}, 0, true, ErrInvalidAnswer},
		{"list", Answer{Checked: []string{"z"}}, 0, true, ErrInvalidAnswer},
		{"list", Answer{}, 0, true, ErrUnanswered},
		{"ratio", Answer{Percent: pct(0)}, 0, true, nil},
		{"ratio", Answer{Percent: pct(9.99)}, 0, true, nil},
		{"ratio", Answer{Percent: pct(10)}, 0.5, true, nil},
		{"ratio", Answer{Percent: pct(49.9)}, 0.5, true, nil},
		{"ratio", Answer{Percent: pct(50)}, 1, true, nil},
		{"ratio", Answer{Percent: pct(100)}, 1, true, nil},
		{"ratio", Answer{Percent: pct(100.1)}, 0, true, ErrInvalidAnswer},
		{"ratio", Answer{Percent: pct(-1)}, 0, true, ErrInvalidAnswer},
		{"ratio", Answer{Percent: pct(math.NaN())}, 0, true, ErrInvalidAnswer},
		{"ratio", Answer{}, 0, true, ErrUnanswered},
	}
	for _, tt := range tests {
		got, applies, err := item(tt.item).Score(tt.a)
		if !errors.Is(err, tt.wantErr) || (err == nil && (!near(got, tt.want) || applies != tt.wantApplies)) {
			t.Errorf("%s %+v: got %v, %v, %v; want %v, %v, %v", tt.item, tt.a, got, applies, err, tt.want, tt.wantApplies, tt.wantErr)
		}
	}
}

func TestPillarLevelBands(t *testing.T) {
	r := Rules{Level0Below: 10, LevelUpper: []float64{20, 40, 60, 80}}
	tests := []struct {
		pct  float64
		want int
	}{
		{0, 0}, {9.999999, 0}, {10, 1}, {20, 1}, {20.000001, 2}, {40, 2}, {40.5, 3},
		{60, 3}, {60.000001, 4}, {80, 4}, {80.000001, 5}, {100, 5},
	}
	for _, tt := range tests {
		if got := r.PillarLevel(tt.pct); got != tt.want {
			t.Errorf("PillarLevel(%v) = %d, want %d", tt.pct, got, tt.want)
		}
	}
}

func TestOverallLevelRule(t *testing.T) {
	r := Rules{Thresholds: []float64{20, 64, 128, 192, 256}, MinPillars: []int{4, 4, 4, 5, 6}}
	tests := []struct {
		name   string
		points float64
		levels []int
		want   int
	}{
		{"nothing", 0, []int{0, 0, 0, 0, 0, 0}, 0},
		{"exactly 20 points is not above the threshold", 20, []int{1, 1, 1, 1, 1, 1}, 0},
		{"just above 20 with four pillars at 1", 20.5, []int{1, 1, 1, 1, 0, 0}, 1},
		{"above 20 but only three pillars at 1", 30, []int{1, 1, 1, 0, 0, 0}, 0},
		{"points for 2, pillars for 2", 100, []int{2, 2, 2, 2, 1, 1}, 2},
		{"points for 3, four pillars at 3", 138.37, []int{3, 4, 2, 3, 2, 3}, 3},
		{"points for 3, three pillars at 3 falls to 2", 138.37, []int{3, 4, 2, 3, 2, 2}, 2},
		{"points for 4 needs five pillars at 4", 200, []int{4, 4, 4, 3, 3, 5}, 3},
		{"points for 4 with five pillars at 4", 200, []int{4, 4, 4, 4, 4, 3}, 4},
		{"exactly 256 is not level 5", 256, []int{5, 5, 5, 5, 5, 5}, 4},
		{"level 5 needs all six pillars", 300, []int{5, 5, 5, 5, 5, 4}, 4},
		{"level 5", 300, []int{5, 5, 5, 5, 5, 5}, 5},
		{"pillars high, points low", 60, []int{5, 5, 5, 5, 5, 5}, 1},
	}
	for _, tt := range tests {
		if got := r.OverallLevel(tt.points, tt.levels); got != tt.want {
			t.Errorf("%s: OverallLevel(%v, %v) = %d, want %d", tt.name, tt.points, tt.levels, got, tt.want)
		}
	}
}

func TestEUBand(t *testing.T) {
	tests := []struct {
		pct  float64
		want EUBand
	}{
		{0, EUBasic}, {25, EUBasic}, {25.4, EUBasic}, {25.5, EUAverage}, {26, EUAverage}, {50, EUAverage},
		{50.6, EUModeratelyAdvanced}, {75, EUModeratelyAdvanced}, {75.5, EUAdvanced}, {100, EUAdvanced},
	}
	for _, tt := range tests {
		if got := EUBandOf(tt.pct); got != tt.want {
			t.Errorf("EUBandOf(%v) = %v, want %v", tt.pct, got, tt.want)
		}
	}
}

func TestScoreTestModel(t *testing.T) {
	m := loadTestModel(t)
	tests := []struct {
		name        string
		answers     Answers
		wantA       float64 // pillar percentages
		wantB       float64
		wantPoints  float64
		wantLevel   int
		wantLevelsA int
	}{
		{
			name: "not applicable leaves both sides",
			answers: Answers{
				"gate": {Choice: "yes", Rung: 3}, "ypn": {Choice: "na"}, "scale": {Choice: "na"},
				"list": {Checked: []string{"x"}}, "ratio": {Percent: pct(50)},
			},
			// a: only the gate applies: 0.6 → 60%; b: (0.75 + 1)/2 = 87.5%.
			// 263.5 points pass 256, but levels 5 and 4 need two pillars
			// there (this model's rule) and only b is: level 3.
			wantA: 60, wantB: 87.5, wantPoints: 36 + 227.5, wantLevel: 3, wantLevelsA: 3,
		},
		{
			name: "weighted mean",
			answers: Answers{
				"gate": {Choice: "yes", Rung: 5}, "ypn": {Choice: "no"}, "scale": {Choice: "5"},
				"list": {Checked: []string{"none"}}, "ratio": {Percent: pct(0)},
			},
			// a: (2×1 + 0 + 1)/4 = 75%; b: 0
			wantA: 75, wantB: 0, wantPoints: 45, wantLevel: 1, wantLevelsA: 4,
		},
	}
	for _, tt := range tests {
		res, err := m.Score(tt.answers)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !near(res.Pillars[0].Percent, tt.wantA) || !near(res.Pillars[1].Percent, tt.wantB) {
			t.Errorf("%s: pillars %v, %v; want %v, %v", tt.name, res.Pillars[0].Percent, res.Pillars[1].Percent, tt.wantA, tt.wantB)
		}
		if !near(res.Points, tt.wantPoints) || res.Level != tt.wantLevel || res.Pillars[0].Level != tt.wantLevelsA {
			t.Errorf("%s: points %v level %d (pillar a %d); want %v, %d (%d)", tt.name, res.Points, res.Level, res.Pillars[0].Level, tt.wantPoints, tt.wantLevel, tt.wantLevelsA)
		}
	}
	_, err := m.Score(Answers{"gate": {Choice: "yes"}})
	var inc *IncompleteError
	if !errors.As(err, &inc) || len(inc.Items) != 5 {
		t.Errorf("Score of an incomplete response: %v, want an IncompleteError naming 5 items", err)
	}
}

// MiddleAnswers answers every question of the real model "in the middle":
// gates yes with the third rung, yes/partial/no "partly", scales 3, only
// the first box of each checklist, every percentage 20. The browser test
// answers the same way and expects the figures of TestScoreRealModel.
func middleAnswers(m *Model) Answers {
	a := Answers{}
	for _, p := range m.Pillars {
		for _, it := range p.Items {
			switch it.Type {
			case GateLadder:
				a[it.ID] = Answer{Choice: "yes", Rung: 3}
			case YesPartialNo:
				a[it.ID] = Answer{Choice: "partial"}
			case Scale:
				a[it.ID] = Answer{Choice: "3"}
			case Checklist:
				a[it.ID] = Answer{Checked: []string{it.Options[0].ID}}
			case Ratio:
				a[it.ID] = Answer{Percent: pct(20)}
			}
		}
	}
	return a
}

// TestScoreRealModel pins the dbi-2021 figures worked out by hand.
func TestScoreRealModel(t *testing.T) {
	c, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	m := c.Current()
	type pillar struct {
		pct   float64
		level int
	}
	tests := []struct {
		name        string
		answers     Answers
		pillars     []pillar // customer, strategy, infrastructure, operations, culture, data
		wantPoints  float64
		wantPercent float64
		wantLevel   int
		wantBand    EUBand
	}{
		{
			// customer  (1.8+0.4+0.4+1.2+0.5+0.6+0.5)/12 = 45%
			// strategy  (1.8+1.0+2.0+0.6+0.5+0.2)/10     = 61%
			// infra     (0.8+0.4+3/7+1.2+0.4+1.2+0.5)/14 = 35.204082%
			// ops       (1.8+1.0+0.5+0.5+0.4+0.6+0.5)/12 = 44.166667%
			// culture   (0.6+1.2+1.2+0.4+0.5)/10         = 39%
			// data      (1.8+1.0+1.2+0.5+0.5)/10         = 50%
			// points 29.25+15.25+28.163265+28.708333+19.5+17.5 = 138.371599 > 128,
			// and exactly four pillars at level 3 or above: level 3.
			name:    "middle answers",
			answers: middleAnswers(m),
			pillars: []pillar{{45, 3}, {61, 4}, {35.204082, 2}, {44.166667, 3}, {39, 2}, {50, 3}},
			// 138.371599 / 320
			wantPoints: 138.371599, wantPercent: 43.241125, wantLevel: 3, wantBand: EUAverage,
		},
	}
	// Turning the data pillar's gate to "no" drops data to (0+1+1.2+0.5+0.5)/10
	// = 32% (level 2). The points still pass 128 (138.371599 - 17.5 + 11.2 =
	// 132.071599), but only three pillars stay at level 3: the level falls to 2.
	lower := middleAnswers(m)
	lower["da-storage"] = Answer{Choice: "no"}
	tests = append(tests, struct {
		name        string
		answers     Answers
		pillars     []pillar
		wantPoints  float64
		wantPercent float64
		wantLevel   int
		wantBand    EUBand
	}{
		name: "too few pillars at level 3", answers: lower,
		pillars:    []pillar{{45, 3}, {61, 4}, {35.204082, 2}, {44.166667, 3}, {39, 2}, {32, 2}},
		wantPoints: 132.071599, wantPercent: 41.272375, wantLevel: 2, wantBand: EUAverage,
	})
	full := Answers{}
	none := Answers{}
	for _, p := range m.Pillars {
		for _, it := range p.Items {
			switch it.Type {
			case GateLadder:
				full[it.ID], none[it.ID] = Answer{Choice: "yes", Rung: 5}, Answer{Choice: "no"}
			case YesPartialNo:
				full[it.ID], none[it.ID] = Answer{Choice: "yes"}, Answer{Choice: "no"}
			case Scale:
				full[it.ID], none[it.ID] = Answer{Choice: "5"}, Answer{Choice: "0"}
			case Checklist:
				var good []string
				for _, o := range it.Options {
					if o.Weight > 0 {
						good = append(good, o.ID)
					}
				}
				full[it.ID], none[it.ID] = Answer{Checked: good}, Answer{Checked: []string{it.Options[len(it.Options)-1].ID}}
			case Ratio:
				full[it.ID], none[it.ID] = Answer{Percent: pct(100)}, Answer{Percent: pct(0)}
			}
		}
	}
	six := func(p float64, l int) []pillar { return []pillar{{p, l}, {p, l}, {p, l}, {p, l}, {p, l}, {p, l}} }
	tests = append(tests, []struct {
		name        string
		answers     Answers
		pillars     []pillar
		wantPoints  float64
		wantPercent float64
		wantLevel   int
		wantBand    EUBand
	}{
		{name: "everything", answers: full, pillars: six(100, 5), wantPoints: 320, wantPercent: 100, wantLevel: 5, wantBand: EUAdvanced},
		{name: "nothing", answers: none, pillars: six(0, 0), wantPoints: 0, wantPercent: 0, wantLevel: 0, wantBand: EUBasic},
	}...)

	for _, tt := range tests {
		res, err := m.Score(tt.answers)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for i, want := range tt.pillars {
			got := res.Pillars[i]
			if !near(got.Percent, want.pct) || got.Level != want.level {
				t.Errorf("%s: pillar %s = %v%% level %d, want %v%% level %d", tt.name, got.ID, got.Percent, got.Level, want.pct, want.level)
			}
		}
		if !near(res.Points, tt.wantPoints) || !near(res.Percent, tt.wantPercent) || res.Level != tt.wantLevel || EUBandOf(res.Percent) != tt.wantBand {
			t.Errorf("%s: %v points, %v%%, level %d, band %v; want %v, %v%%, %d, %v", tt.name,
				res.Points, res.Percent, res.Level, EUBandOf(res.Percent), tt.wantPoints, tt.wantPercent, tt.wantLevel, tt.wantBand)
		}
	}
}

func TestGapsAndAdvice(t *testing.T) {
	c, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	m := c.Current()
	a := middleAnswers(m)
	gaps := m.Gaps(a, 3)
	if len(gaps) != 3 {
		t.Fatalf("got %d gaps, want 3", len(gaps))
	}
	// Infrastructure (80 points, weight 14): in-software scored 1/7 with
	// weight 3: 80 × 3/14 × 6/7 = 14.693878 points lost, the largest.
	if gaps[0].Item.ID != "in-software" || !near(gaps[0].Lost, 14.693878) {
		t.Errorf("first gap %s lost %v, want in-software 14.693878", gaps[0].Item.ID, gaps[0].Lost)
	}
	for i := 1; i < len(gaps); i++ {
		if gaps[i].Lost > gaps[i-1].Lost {
			t.Errorf("gaps not in falling order: %v", gaps)
		}
	}
	res, _ := m.Score(a)
	advice := m.Advise(res)
	// Weak pillars (below level 4), weakest first: infrastructure 35.2,
	// culture 39, operations 44.2, customer 45, data 50; strategy (61, level
	// 4) is not weak.
	want := []string{"infrastructure", "culture", "operations", "customer", "data"}
	if len(advice) != len(want) {
		t.Fatalf("got %d pieces of advice, want %d", len(advice), len(want))
	}
	for i, w := range want {
		if advice[i].Pillar.ID != w || advice[i].Level != advice[i].Result.Level {
			t.Errorf("advice %d is for %s at level %d, want %s at its own level", i, advice[i].Pillar.ID, advice[i].Level, w)
		}
	}
	strong := Result{Pillars: []PillarResult{{ID: "customer", Percent: 90, Level: 5}, {ID: "data", Percent: 85, Level: 5}}}
	if adv := m.Advise(strong); len(adv) != 1 || adv[0].Pillar.ID != "data" || adv[0].Level != 5 {
		t.Errorf("with no weak pillar, advice = %v; want the lowest pillar's", adv)
	}
}

func TestProgress(t *testing.T) {
	c, _ := LoadCatalog()
	m := c.Current()
	a := middleAnswers(m)
	delete(a, "cx-presence")
	a["st-plan"] = Answer{Choice: "yes"} // ladder missing
	got := map[string]PageProgress{}
	for _, p := range m.Progress(a) {
		got[p.Page] = p
	}
	if p := got["customer"]; p.Complete() || p.Answered != 6 || p.Required != 7 {
		t.Errorf("customer progress %+v, want 6 of 7", p)
	}
	if p := got["strategy"]; p.Complete() {
		t.Errorf("strategy with a ladder missing counts as complete")
	}
	if p := got[NeedsPage]; !p.Complete() || p.Required != 0 {
		t.Errorf("needs page %+v: optional items must not be required", p)
	}
}

package indicators

import (
	"math"
	"testing"
)

// TestUnsharedSplitLandsWholeWhereItMeets: an old unit split without
// shares is not comparable in each successor, nor in a province holding
// only some of them; where all of them meet (the province holding them
// all, the nation) it counts once and whole. A split behind a split of
// its own keeps what the outer one says.
func TestUnsharedSplitLandsWholeWhereItMeets(t *testing.T) {
	const day = "2025-07-01"
	u := func(id int64, code, path, from, to string) *Unit {
		return &Unit{ID: id, Code: code, Path: path, ValidFrom: from, ValidTo: to}
	}
	half := 0.5
	g := &graph{day: day, all: map[int64]*Unit{}, onDay: map[string]int64{}, succ: map[int64][]Successor{},
		carries: map[int64][]carry{}, chains: map[int64][]int64{}}
	for _, x := range []*Unit{
		u(1, "01", "/01/", "2020-01-01", OpenEnd), u(2, "02", "/02/", "2020-01-01", OpenEnd),
		u(11, "10001", "/01/10001/", day, OpenEnd), u(12, "10002", "/01/10002/", day, OpenEnd),
		u(21, "20001", "/02/20001/", day, OpenEnd),
		// Old units: 100 split inside province 01; 200 split across 01 and
		// 02; 300 half into 11 and half into the old 400, itself split
		// without shares into 12 and 21.
		u(100, "90100", "/01/90100/", "2020-01-01", day), u(200, "90200", "/01/90200/", "2020-01-01", day),
		u(300, "90300", "/01/90300/", "2020-01-01", "2024-01-01"), u(400, "90400", "/01/90400/", "2024-01-01", day),
	} {
		g.all[x.ID] = x
		if x.ValidOn(day) {
			g.onDay[x.Code] = x.ID
		}
	}
	g.succ[100] = []Successor{{OldUnitID: 100, NewUnitID: 11}, {OldUnitID: 100, NewUnitID: 12}}
	g.succ[200] = []Successor{{OldUnitID: 200, NewUnitID: 11}, {OldUnitID: 200, NewUnitID: 21}}
	g.succ[300] = []Successor{{OldUnitID: 300, NewUnitID: 11, Weight: &half}, {OldUnitID: 300, NewUnitID: 400, Weight: &half}}
	g.succ[400] = []Successor{{OldUnitID: 400, NewUnitID: 12}, {OldUnitID: 400, NewUnitID: 21}}

	type want struct {
		w          float64
		comparable bool
	}
	for old, wants := range map[int64]map[int64]want{
		100: {11: {1, false}, 12: {1, false}, 1: {1, true}, NationID: {1, true}},
		200: {11: {1, false}, 21: {1, false}, 1: {1, false}, 2: {1, false}, NationID: {1, true}},
		300: {11: {0.5, true}, 12: {0.5, false}, 21: {0.5, false}, 1: {1, false}, 2: {0.5, false}, NationID: {1, true}},
	} {
		got := g.landing(old)
		if len(got) != len(wants) {
			t.Errorf("%d lands on %d units (%v), want %d", old, len(got), got, len(wants))
		}
		for a, w := range wants {
			c, ok := got[a]
			if !ok || c.comparable != w.comparable || (w.comparable && math.Abs(c.w-w.w) > 1e-9) {
				t.Errorf("%d on %d: %+v (found %v), want share %v comparable %v", old, a, c, ok, w.w, w.comparable)
			}
		}
	}
}

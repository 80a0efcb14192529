package assessments

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"digiportal/internal/disclosure"
)

// TestStatsSmallGroup: the case. One ICT business in an area and
// others elsewhere: the page filtered by sector J showed that area's row as
// "0, hidden, 0, 0, 0, 0", which gave its level away. A group under 5
// shows no distribution at all, zeros included.
func TestStatsSmallGroup(t *testing.T) {
	c, _ := LoadCatalog()
	m := c.Current()
	var all []Response
	add := func(area, sector string, level int) {
		all = append(all, Response{ID: fmt.Sprint(len(all)), Area: area, Sector: sector, SizeClass: "micro", Level: level})
	}
	add("dat-do", "J", 1)
	for i := range 12 {
		add("dat-do", "G", 2+i%2)
		add("ba-ria", "G", 1+i%3)
	}
	areas := []string{"dat-do", "ba-ria"}
	st, err := statsOf(m, all, Filter{Model: m.Version, Sector: "J"}, areas, func(r *Response) string { return r.Area }, []string{"G", "J"}, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.ByArea.Rows) != 1 {
		t.Fatalf("rows %+v", st.ByArea)
	}
	for j, cell := range st.ByArea.Rows[0] {
		if !cell.Hidden {
			t.Errorf("the one ICT business's row shows column %d: %+v", j, st.ByArea.Rows[0])
		}
	}
	if !st.N.Hidden {
		t.Errorf("N %+v shown", st.N)
	}
}

// TestStatsAcrossFilters: what every filter's page shows, all pages taken
// together, gives no business's level away. Businesses are drawn in 3
// areas × 2 sectors × 2 sizes; one group (an area, a sector and a size)
// holds from 1 to 10 of them, the others are random. The unknowns are the
// counts of each area × sector × size × level; each count a page shows, in
// the table by area and the table by sector of every filter (none, one,
// two or three conditions), is an equation, and so is each row a page
// leaves out (a zero). A reader solving them all (the unfiltered table
// minus a filtered one, one filter's pages against another's, each
// table's sums) may pin down no count a page withholds, other than a zero.
func TestStatsAcrossFilters(t *testing.T) {
	if testing.Short() {
		t.Log("with -short, the pages of no filter and of one condition only")
	}
	c, _ := LoadCatalog()
	m := c.Current()
	areas, sectors, sizes := []string{"a1", "a2", "a3"}, []string{"A", "J"}, []string{"s1", "s2"}
	cube := func(a, s, z, l int) int { return ((a*len(sectors)+s)*len(sizes)+z)*6 + l }
	nvars := len(areas) * len(sectors) * len(sizes) * 6
	var filters []Filter
	for _, a := range append([]string{""}, areas...) {
		for _, s := range append([]string{""}, sectors...) {
			for _, z := range append([]string{""}, sizes...) {
				f := Filter{Model: m.Version, Area: a, Sector: s, Size: z}
				conds := len(f.parents())
				if testing.Short() && conds > 1 {
					continue
				}
				filters = append(filters, f)
			}
		}
	}
	now := time.Date(2026, 11, 20, 5, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(7, 14))
	for size := 1; size <= 10; size++ {
		for seed := range 2 {
			var all []Response
			add := func(a, s, z, l int) {
				all = append(all, Response{ID: fmt.Sprint(len(all)), Area: areas[a], Sector: sectors[s], SizeClass: sizes[z], Level: l})
			}
			ga, gs, gz := rng.IntN(3), rng.IntN(2), rng.IntN(2)
			for range size {
				add(ga, gs, gz, rng.IntN(6))
			}
			for range 10 + rng.IntN(30) {
				add(rng.IntN(3), rng.IntN(2), rng.IntN(2), rng.IntN(6))
			}
			type figure struct {
				what   string
				coef   []float64
				n      int64
				hidden bool
			}
			figures := map[Filter][]figure{}
			for _, f := range filters {
				st, err := statsOf(m, all, f, areas, func(r *Response) string { return r.Area }, sectors, nil, now)
				if err != nil {
					t.Fatal(err)
				}
				for _, tb := range []struct {
					name string
					t    Table
					keep func(key string, a, s int) bool
				}{
					{"area", st.ByArea, func(k string, a, _ int) bool { return k == "" || k == areas[a] }},
					{"sector", st.BySector, func(k string, _, s int) bool { return k == "" || k == sectors[s] }},
				} {
					keys := append(append([]string(nil), tb.t.Keys...), "")
					lines := append(append([][]Cell(nil), tb.t.Rows...), tb.t.Total)
					slice := func(key string, level int) []float64 {
						coef := make([]float64, nvars)
						for a := range areas {
							for s := range sectors {
								for z := range sizes {
									if !tb.keep(key, a, s) || !f.keeps(areas[a], sectors[s], sizes[z]) {
										continue
									}
									for lv := range 6 {
										if level == 6 || level == lv {
											coef[cube(a, s, z, lv)] = 1
										}
									}
								}
							}
						}
						return coef
					}
					for i, key := range keys {
						for l, cell := range lines[i] {
							what := fmt.Sprintf("%+v by %s, row %q, column %d (%d)", f, tb.name, key, l, cell.N)
							if !cell.Hidden && small(cell.N) {
								t.Errorf("%s shown", what)
							}
							figures[f] = append(figures[f], figure{what, slice(key, l), cell.N, cell.Hidden})
						}
					}
					// Rows left out of a table are zeros the page shows.
					all := areas
					if tb.name == "sector" {
						all = sectors
					}
					for _, key := range all {
						if !contains(keys, key) {
							figures[f] = append(figures[f], figure{"absent row " + key, slice(key, 6), 0, false})
						}
					}
				}
			}
			// Every page at once: the reader may compare any pages.
			sys := disclosure.New(nvars)
			var hidden []figure
			for _, f := range filters {
				for _, fg := range figures[f] {
					if fg.hidden {
						hidden = append(hidden, fg)
					} else {
						sys.Equal(fg.coef, float64(fg.n))
					}
				}
			}
			if !sys.Feasible() {
				t.Fatalf("size %d seed %d: the equations do not hold for the data drawn", size, seed)
			}
			seen := map[string]bool{}
			for _, h := range hidden {
				k := fmt.Sprint(h.coef)
				if seen[k] || h.n == 0 {
					continue
				}
				seen[k] = true
				if lo, hi, _ := sys.Range(h.coef); hi-lo < 1e-6 {
					t.Errorf("group of %d (seed %d): withheld %s can be worked out from the pages", size, seed, h.what)
				}
			}
			if t.Failed() {
				t.FailNow()
			}
		}
	}
}

func contains(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

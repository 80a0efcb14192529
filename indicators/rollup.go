package indicators

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// Cell is the roll-up of one element for one unit and period: the sum of
// approved values and the sum of submitted and approved ones, each with the
// number of values left out because an old unit was split without a stated
// share (then the sum is "not comparable").
type Cell struct {
	Approved, Counted     float64
	ApprovedNC, CountedNC int
}

// Sum returns the sum on the basis asked for (approved only, or submitted
// included) and how many values were left out as not comparable.
func (c Cell) Sum(withSubmitted bool) (float64, int) {
	if withSubmitted {
		return c.Counted, c.CountedNC
	}
	return c.Approved, c.ApprovedNC
}

// Completeness counts the reporting units below a unit for a period: those
// expected, those that reported (submitted or approved) and those approved.
type Completeness struct {
	Expected, Reported, Approved int
}

// Cube holds roll-ups for a set of units, periods and elements. The cells
// of a unit and period are allocated when the first value lands there: a
// country's worth of communes without reports costs no cells.
type Cube struct {
	units   map[int64]int
	periods map[string]int
	elems   map[int64]int
	cells   [][]Cell // by unit and period, then by element; nil when empty
	comp    []Completeness
}

func newCube(units []int64, periods []string, elems []int64) *Cube {
	c := &Cube{units: map[int64]int{}, periods: map[string]int{}, elems: map[int64]int{}}
	for _, u := range units {
		if _, ok := c.units[u]; !ok {
			c.units[u] = len(c.units)
		}
	}
	for _, p := range periods {
		if _, ok := c.periods[p]; !ok {
			c.periods[p] = len(c.periods)
		}
	}
	for _, e := range elems {
		if _, ok := c.elems[e]; !ok {
			c.elems[e] = len(c.elems)
		}
	}
	c.cells = make([][]Cell, len(c.units)*len(c.periods))
	c.comp = make([]Completeness, len(c.units)*len(c.periods))
	return c
}

func (c *Cube) index(unit int64, period string) (int, bool) {
	u, ok1 := c.units[unit]
	p, ok2 := c.periods[period]
	return u*len(c.periods) + p, ok1 && ok2
}

// cell returns the cell to write elem's roll-up for unit in period to,
// allocating the unit's cells for the period on first use; nil when the
// cube does not hold them.
func (c *Cube) cell(unit int64, period string, elem int64) *Cell {
	i, ok := c.index(unit, period)
	e, ok2 := c.elems[elem]
	if !ok || !ok2 {
		return nil
	}
	if c.cells[i] == nil {
		c.cells[i] = make([]Cell, len(c.elems))
	}
	return &c.cells[i][e]
}

// Cell returns the roll-up of elem for unit in period (zero when none).
func (c *Cube) Cell(unit int64, period string, elem int64) Cell {
	i, ok := c.index(unit, period)
	e, ok2 := c.elems[elem]
	if !ok || !ok2 || c.cells[i] == nil {
		return Cell{}
	}
	return c.cells[i][e]
}

// Completeness returns the reporting counts below unit for period.
func (c *Cube) Completeness(unit int64, period string) Completeness {
	if i, ok := c.index(unit, period); ok {
		return c.comp[i]
	}
	return Completeness{}
}

// NationID is the unit id under which the whole country's roll-up is kept.
const NationID int64 = 0

// graph is the unit history needed to carry a value onto the hierarchy of
// one day: every version of every unit, the successor mappings, and the
// versions valid on the day.
type graph struct {
	day     string
	all     map[int64]*Unit
	onDay   map[string]int64 // code → id of the version valid on day
	succ    map[int64][]Successor
	carries map[int64][]carry
	chains  map[int64][]int64
	leaves  map[string][]int64 // leavesOn by day
	// expected, when not nil, keeps expectedCounts by period: a graph
	// shared by many report changes (sharedGraph) counts a month once.
	expected map[string]map[int64]int
}

// carry is where a value of one unit version lands on the day's hierarchy.
type carry struct {
	to         int64
	w          float64
	comparable bool
	// split, when not zero, is the unit whose split without stated shares
	// made this carry one of several that are not comparable on their
	// own, and splitW the share of the value that reached that unit.
	// Where every carry of the split lands on the same unit (the
	// province, the nation) the split does not matter there: the unit
	// gets splitW whole, comparable (see landing).
	split   int64
	splitW  float64
	splitOK bool // whether the way to that unit is comparable
}

// graphsKey is the context key of the graphs one unit of work shares.
type graphsKey struct{}

// withGraphs returns ctx carrying a cache of graphs by day, for work that
// changes many reports in one transaction (a file of a month's reports,
// approving a month): each would otherwise load every unit version and
// link again. Only work that holds the roll-ups' lock uses it, so the
// units cannot change under it.
func withGraphs(ctx context.Context) context.Context {
	if _, ok := ctx.Value(graphsKey{}).(map[string]*graph); ok {
		return ctx
	}
	return context.WithValue(ctx, graphsKey{}, map[string]*graph{})
}

// sharedGraph is loadGraph through the cache of withGraphs, when ctx has one.
func sharedGraph(ctx context.Context, db bun.IDB, day string) (*graph, error) {
	cache, ok := ctx.Value(graphsKey{}).(map[string]*graph)
	if !ok {
		return loadGraph(ctx, db, day)
	}
	if g, ok := cache[day]; ok {
		return g, nil
	}
	g, err := loadGraph(ctx, db, day)
	if err == nil {
		g.expected = map[string]map[int64]int{}
		cache[day] = g
	}
	return g, err
}

func loadGraph(ctx context.Context, db bun.IDB, day string) (*graph, error) {
	var us []Unit
	if err := db.NewSelect().Model(&us).Column("id", "code", "parent_code", "level", "path", "valid_from", "valid_to").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.loadGraph: %w", err)
	}
	var ss []Successor
	if err := db.NewSelect().Model(&ss).Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.loadGraph: %w", err)
	}
	g := &graph{day: day, all: make(map[int64]*Unit, len(us)), onDay: map[string]int64{},
		succ: map[int64][]Successor{}, carries: map[int64][]carry{}, chains: map[int64][]int64{}}
	for i := range us {
		u := &us[i]
		g.all[u.ID] = u
		if u.ValidOn(day) {
			g.onDay[u.Code] = u.ID
		}
	}
	for _, s := range ss {
		g.succ[s.OldUnitID] = append(g.succ[s.OldUnitID], s)
	}
	return g, nil
}

// carryOf follows the successor mappings from unit version id to the
// versions valid on the graph's day, multiplying shares on the way.
func (g *graph) carryOf(id int64) []carry {
	if c, ok := g.carries[id]; ok {
		return c
	}
	c := g.follow(id, 0)
	g.carries[id] = c
	return c
}

func (g *graph) follow(id int64, depth int) []carry {
	u := g.all[id]
	if u == nil || depth > 12 {
		return nil
	}
	if u.ValidOn(g.day) {
		return []carry{{to: id, w: 1, comparable: true}}
	}
	if u.ValidFrom > g.day {
		return nil // the unit came later than the day asked about
	}
	// A split is unshared when every successor is partial and none
	// states a share; a mix of shares and none stays not comparable.
	ss := g.succ[id]
	unshared := len(ss) > 0
	for _, s := range ss {
		if s.Full || s.Weight != nil {
			unshared = false
		}
	}
	var out []carry
	for _, s := range ss {
		if s.NewUnitID == id {
			// A unit its own successor (a mapping of a day on which it
			// did not change) adds nothing: followed, it came back here
			// twelve times, its value counted once on each way round.
			continue
		}
		w, comparable := 1.0, true
		switch {
		case s.Weight != nil:
			w = *s.Weight
		case !s.Full:
			comparable = false
		}
		for _, c := range g.follow(s.NewUnitID, depth+1) {
			nc := carry{to: c.to, w: w * c.w, comparable: comparable && c.comparable, split: c.split, splitW: w * c.splitW, splitOK: comparable && c.splitOK}
			if unshared {
				// This split is the outermost so far: its carries
				// land whole where they all meet.
				nc.split, nc.splitW, nc.splitOK = id, 1, true
			}
			out = append(out, nc)
		}
	}
	return out
}

// chainOf returns the unit id valid on the day, its ancestors on that day
// and the nation.
func (g *graph) chainOf(id int64) []int64 {
	if c, ok := g.chains[id]; ok {
		return c
	}
	out := []int64{NationID}
	if u := g.all[id]; u != nil {
		for _, code := range strings.Split(strings.Trim(u.Path, "/"), "/") {
			if a, ok := g.onDay[code]; ok {
				out = append(out, a)
			}
		}
	}
	g.chains[id] = out
	return out
}

// landing returns the distinct units (with ancestors and the nation) that a
// value of unit version id counts toward on the day, each with the share of
// the value and whether it is comparable.
//
// The carries of a split without stated shares are not comparable where
// they land apart, but on a unit where all of them land (every successor
// lies in the same province) the old unit's value arrives whole: there it
// counts once, comparable.
func (g *graph) landing(id int64) map[int64]carry {
	carries := g.carryOf(id)
	members := map[int64]int{} // split → its carries
	for _, c := range carries {
		if c.split != 0 {
			members[c.split]++
		}
	}
	out := map[int64]carry{}
	add := func(a int64, c carry) {
		prev, ok := out[a]
		if !ok {
			out[a] = c
			return
		}
		prev.w += c.w
		prev.comparable = prev.comparable && c.comparable
		out[a] = prev
	}
	type key struct{ a, split int64 }
	landed := map[key][]carry{}
	for _, c := range carries {
		for _, a := range g.chainOf(c.to) {
			if c.split != 0 {
				landed[key{a, c.split}] = append(landed[key{a, c.split}], c)
				continue
			}
			add(a, c)
		}
	}
	for k, cs := range landed {
		if len(cs) == members[k.split] {
			add(k.a, carry{to: k.a, w: cs[0].splitW, comparable: cs[0].splitOK})
			continue
		}
		for _, c := range cs {
			add(k.a, c)
		}
	}
	return out
}

// leavesOn returns the ids of the units that report on day: valid then and
// with no unit below them.
func (g *graph) leavesOn(day string) []int64 {
	if l, ok := g.leaves[day]; ok {
		return l
	}
	parents := map[string]bool{}
	for _, u := range g.all {
		if u.ValidOn(day) && u.ParentCode != "" {
			parents[u.ParentCode] = true
		}
	}
	var out []int64
	for id, u := range g.all {
		if u.ValidOn(day) && !parents[u.Code] {
			out = append(out, id)
		}
	}
	if g.leaves == nil {
		g.leaves = map[string][]int64{}
	}
	g.leaves[day] = out
	return out
}

// addExpected counts, for period, each reporting unit toward every unit it
// lands on.
func (g *graph) addExpected(c *Cube, period Period) {
	p := period.String()
	for u, n := range g.expectedCounts(period) {
		if i, ok := c.index(u, p); ok {
			c.comp[i].Expected += n
		}
	}
}

// expectedCounts counts, for period, the reporting units landing on each
// unit (kept when the graph keeps them, see graph.expected).
func (g *graph) expectedCounts(period Period) map[int64]int {
	p := period.String()
	if m, ok := g.expected[p]; ok {
		return m
	}
	m := map[int64]int{}
	for _, leaf := range g.leavesOn(period.Day()) {
		for a := range g.landing(leaf) {
			m[a]++
		}
	}
	if g.expected != nil {
		g.expected[p] = m
	}
	return m
}

package assessments

import (
	"slices"
	"strings"
)

// The level tables of every page of the officials' figures, whatever the
// filter, are sums over one table of four dimensions: area × sector × size
// class × level. A page filtered by sector J shows, by area, the counts of
// area × J × every size × level; the page filtered by area and sector
// shows in its total row the counts of that area × J; and so on. Taking
// two pages and subtracting one from the other is an attack on that one
// table, so the portal protects that table once, with every sum any page
// can show, and each page shows its figures as that protection decides.
//
// A figure is a sum over a selection in each dimension: one value, or all
// of them (and for areas also every unit carrying one code, which the area
// filter selects: today's unit and a former one of the same code).
//
// Primary: a figure from 1 to MinGroup-1 is withheld, and so is every
// level figure of a group under MinGroup businesses (zeros included: a
// zero beside one hidden count gives that count's level away).
//
// Complementary (the hypercube method): for each withheld figure that is
// not zero, a pattern of +1 and −1 on the corners of a box of cells, two
// values in some dimensions and one in the others, changes no sum that
// runs over a whole dimension of the box and so no figure a page shows,
// provided every figure it changes is withheld. If the cells it lowers
// hold a business each, the withheld figure can be one more or one less
// than it is: nobody can work it out. For each one the box that withholds
// the fewest further figures is chosen and they are withheld.

// dims of the cube, in figure order.
const (
	dimArea = iota
	dimSector
	dimSize
	dimLevel
	nDims
)

// all selects every value of a dimension.
const all = -1

// figure is a selection per dimension: a value's index, all, or for areas
// an index past the last key naming a code's group of keys.
type figure [nDims]int

type cube struct {
	n      [nDims]int // values per dimension (areas: keys)
	count  map[figure]int64
	cells  map[[nDims]int]int64 // the finest counts
	groups [][]int              // area key indexes of each code carrying more than one key
	group  []int                // group of each area key, -1 if none
	hidden map[figure]bool
	// nonempty are the cells holding a business, in a fixed order.
	nonempty [][nDims]int
	// inside and near are cover's scratch space.
	inside, near [][nDims]int
}

// newCube counts rs; areaKeys, sectors and sizes list the values of the
// first three dimensions (every value of rs among them), areaKey names a
// result's area.
func newCube(rs []Response, areaKeys []string, areaKey func(*Response) string, sectors, sizes []string) *cube {
	c := &cube{n: [nDims]int{len(areaKeys), len(sectors), len(sizes), 6}, count: map[figure]int64{}, cells: map[[nDims]int]int64{}, hidden: map[figure]bool{}}
	byCode := map[string][]int{}
	var codes []string
	for i, k := range areaKeys {
		if k == "" {
			continue
		}
		code, _, _ := strings.Cut(k, "@")
		if byCode[code] == nil {
			codes = append(codes, code)
		}
		byCode[code] = append(byCode[code], i)
	}
	c.group = make([]int, len(areaKeys))
	for i := range c.group {
		c.group[i] = -1
	}
	for _, code := range codes {
		if ks := byCode[code]; len(ks) > 1 {
			for _, k := range ks {
				c.group[k] = len(c.groups)
			}
			c.groups = append(c.groups, ks)
		}
	}
	for i := range rs {
		r := &rs[i]
		if r.Level < 0 || r.Level > 5 {
			continue
		}
		cell := [nDims]int{slices.Index(areaKeys, areaKey(r)), slices.Index(sectors, r.Sector), slices.Index(sizes, r.SizeClass), r.Level}
		c.cells[cell]++
		for _, f := range c.containing(cell) {
			c.count[f]++
		}
	}
	for cell := range c.cells {
		c.nonempty = append(c.nonempty, cell)
	}
	slices.SortFunc(c.nonempty, func(a, b [nDims]int) int { return slices.Compare(a[:], b[:]) })
	c.protect()
	return c
}

// selections of dimension d holding value v: v itself, its area group, all.
func (c *cube) selections(d, v int) []int {
	out := []int{v, all}
	if d == dimArea && c.group[v] >= 0 {
		out = append(out, c.n[dimArea]+c.group[v])
	}
	return out
}

// containing lists every figure that counts cell.
func (c *cube) containing(cell [nDims]int) []figure {
	out := []figure{{}}
	for d := range nDims {
		var next []figure
		for _, f := range out {
			for _, s := range c.selections(d, cell[d]) {
				g := f
				g[d] = s
				next = append(next, g)
			}
		}
		out = next
	}
	return out
}

// holds reports whether selection s of dimension d includes value v.
func (c *cube) holds(d, s, v int) bool {
	switch {
	case s == all:
		return true
	case d == dimArea && s >= c.n[dimArea]:
		return c.group[v] == s-c.n[dimArea]
	}
	return s == v
}

// Figure returns the count of f and whether it is withheld.
func (c *cube) Figure(f figure) Cell {
	return Cell{N: c.count[f], Hidden: c.hidden[f]}
}

// protect decides which figures to withhold (see above).
func (c *cube) protect() {
	var todo []figure
	for f, n := range c.count {
		if small(n) {
			c.hidden[f] = true
			todo = append(todo, f)
		}
		if f[dimLevel] == all && small(n) {
			for l := range 6 {
				g := f
				g[dimLevel] = l
				c.hidden[g] = true
				if c.count[g] > 0 {
					todo = append(todo, g)
				}
			}
		}
	}
	// Smallest first, then in a fixed order: the same data gives the same
	// pages.
	slices.SortFunc(todo, func(a, b figure) int {
		if d := c.count[a] - c.count[b]; d != 0 {
			return int(d)
		}
		return slices.Compare(a[:], b[:])
	})
	todo = slices.Compact(todo)
	for _, f := range todo {
		c.cover(f)
	}
}

// box is a perturbation: for each dimension, one or two values (two[d]
// false: only at[d][0]).
type box struct {
	at  [nDims][2]int
	two [nDims]bool
}

// changed lists the figures the box's pattern changes: in a dimension of
// two values, a selection holding exactly one of them; in a dimension of
// one, a selection holding it.
func (c *cube) changed(b box) []figure {
	var out []figure
	c.eachChanged(b, func(g figure) bool { out = append(out, g); return true })
	return out
}

// eachChanged calls fn with each figure the box's pattern changes, until
// fn returns false.
func (c *cube) eachChanged(b box, fn func(figure) bool) {
	var sels [nDims][6]int
	var ns [nDims]int
	for d := range nDims {
		var cand [6]int
		nc := 0
		for side := range 2 {
			if side == 1 && !b.two[d] {
				break
			}
			v := b.at[d][side]
			cand[nc], cand[nc+1] = v, all
			nc += 2
			if d == dimArea && c.group[v] >= 0 {
				cand[nc] = c.n[dimArea] + c.group[v]
				nc++
			}
		}
		for _, s := range cand[:nc] {
			if slices.Contains(sels[d][:ns[d]], s) {
				continue
			}
			in0 := c.holds(d, s, b.at[d][0])
			in1 := b.two[d] && c.holds(d, s, b.at[d][1])
			if (b.two[d] && in0 != in1) || (!b.two[d] && in0) {
				sels[d][ns[d]] = s
				ns[d]++
			}
		}
	}
	var g figure
	var walk func(d int) bool
	walk = func(d int) bool {
		if d == nDims {
			return fn(g)
		}
		for _, s := range sels[d][:ns[d]] {
			g[d] = s
			if !walk(d + 1) {
				return false
			}
		}
		return true
	}
	walk(0)
}

// cover finds the cheapest feasible box whose pattern changes f and
// withholds every figure it changes. The boxes tried are built from the
// cells that hold businesses, which are few:
//
//   - one business of f moves to another value of one dimension outside
//     f (a box of two cells, lowering the one that holds it);
//   - one business of f and one outside it, differing in two dimensions,
//     swap a value (a box of four cells, lowering those two);
//   - a business just outside f moves in (two cells, lowering its own);
//   - two businesses just outside f, in two dimensions, move in crosswise
//     (four cells, lowering those two).
func (c *cube) cover(f figure) {
	nonempty := c.nonempty
	// outside counts the dimensions where f does not hold cell, and names
	// the last.
	outside := func(cell [nDims]int) (n, dim int) {
		for d := range nDims {
			if !c.holds(d, f[d], cell[d]) {
				n, dim = n+1, d
			}
		}
		return n, dim
	}
	best, bestCost := box{}, -1
	consider := func(b box) {
		if bestCost == 0 {
			return
		}
		// Each figure newly withheld costs, the more the wider it is (a
		// total over a whole dimension is read by everyone; a count of a
		// few businesses in one area and sector by few); a zero costs a
		// little more, as its row may otherwise not be shown at all.
		cost := 0
		c.eachChanged(b, func(g figure) bool {
			if !c.hidden[g] {
				w := 2
				for _, sel := range g {
					if sel == all {
						w *= 4
					}
				}
				if c.count[g] == 0 {
					w++
				}
				cost += w
			}
			return bestCost < 0 || cost < bestCost
		})
		if bestCost < 0 || cost < bestCost {
			best, bestCost = b, cost
		}
	}
	at := func(base [nDims]int) box {
		var b box
		for d := range nDims {
			b.at[d][0] = base[d]
		}
		return b
	}
	inside, near := c.inside[:0], c.near[:0]
	defer func() { c.inside, c.near = inside[:0], near[:0] }()
	for _, cell := range nonempty {
		switch n, _ := outside(cell); n {
		case 0:
			inside = append(inside, cell)
		case 1:
			near = append(near, cell)
		}
	}
	for _, base := range inside {
		if bestCost == 0 {
			break
		}
		for d := range nDims {
			if f[d] == all {
				continue
			}
			for w := range c.n[d] {
				if !c.holds(d, f[d], w) {
					b := at(base)
					b.at[d][1], b.two[d] = w, true
					consider(b)
				}
			}
		}
		for _, other := range nonempty {
			var diff [2]int
			nd := 0
			for d := range nDims {
				if other[d] != base[d] {
					if nd == 2 {
						nd = 3
						break
					}
					diff[nd] = d
					nd++
				}
			}
			if nd != 2 || f[diff[0]] == all || f[diff[1]] == all ||
				c.holds(diff[0], f[diff[0]], other[diff[0]]) || c.holds(diff[1], f[diff[1]], other[diff[1]]) {
				continue
			}
			b := at(base)
			for _, d := range diff {
				b.at[d][1], b.two[d] = other[d], true
			}
			consider(b)
		}
	}
	for i, c1 := range near {
		_, d1 := outside(c1)
		for v := range c.n[d1] {
			if !c.holds(d1, f[d1], v) {
				continue
			}
			base := c1
			base[d1] = v
			b := at(base)
			b.at[d1][1], b.two[d1] = c1[d1], true
			consider(b)
		}
		for _, c2 := range near[i+1:] {
			_, d2 := outside(c2)
			if d2 == d1 {
				continue
			}
			same := true
			for d := range nDims {
				if d != d1 && d != d2 && c1[d] != c2[d] {
					same = false
				}
			}
			if !same {
				continue
			}
			base := c1
			base[d1] = c2[d1]
			b := at(base)
			b.at[d1][1], b.two[d1] = c1[d1], true
			b.at[d2][1], b.two[d2] = c2[d2], true
			consider(b)
		}
	}
	if bestCost < 0 {
		// No box: f holds no business and none is near it. Withhold the
		// whole group's distribution and total. (Rare, and safe.)
		for l := range 6 {
			g := f
			g[dimLevel] = l
			c.hidden[g] = true
		}
		g := f
		g[dimLevel] = all
		c.hidden[g] = true
		return
	}
	for _, g := range c.changed(best) {
		c.hidden[g] = true
	}
}

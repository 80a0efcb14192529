// Package disclosure is for tests: it works out, as someone reading the
// published tables could, the range of values a withheld figure can take.
// The unknowns are the counts of the finest cells (area × sector × size ×
// level, say), never negative; every figure a page shows is an equation
// over them. A withheld figure whose smallest and largest possible values
// are equal has been given away.
//
// It solves linear programmes with a dense simplex (two phases, Bland's
// rule, so it never cycles). Over real numbers, not whole counts: a figure
// it finds determined is determined, and for tables with margins alone
// (a network matrix) a range it finds is also a range of whole counts.
//
// It imports nothing of the portal, and nothing imports it but tests.
package disclosure

import "math"

const eps = 1e-7

// System is a set of equations over n unknowns, each at least zero.
type System struct {
	n             int
	rows          [][]float64 // independent, reduced: row i has 1 at pivots[i], 0 there elsewhere
	rhs           []float64
	pivots        []int
	contradiction bool
	// solved is the system in canonical form once feasibility is known.
	solved   *tableau
	feasible bool
}

// New starts a system over n unknowns.
func New(n int) *System { return &System{n: n} }

// Equal adds the equation Σ coef[i]·x[i] = v. An equation that follows
// from those before is dropped (pages repeat figures); one that contradicts
// them makes the system infeasible.
func (s *System) Equal(coef []float64, v float64) {
	row := append([]float64(nil), coef...)
	// Reduce against the rows kept, each with its own pivot column.
	for i, r := range s.rows {
		p := s.pivots[i]
		if f := row[p]; math.Abs(f) > eps {
			for k := range row {
				row[k] -= f * r[k]
			}
			v -= f * s.rhs[i]
		}
	}
	p := -1
	for k, x := range row {
		if math.Abs(x) > eps {
			p = k
			break
		}
	}
	if p < 0 {
		if math.Abs(v) > eps {
			s.contradiction = true
		}
		return
	}
	f := row[p]
	for k := range row {
		row[k] /= f
	}
	v /= f
	for i, r := range s.rows {
		if g := r[p]; math.Abs(g) > eps {
			for k := range r {
				r[k] -= g * row[k]
			}
			s.rhs[i] -= g * v
		}
	}
	s.rows = append(s.rows, row)
	s.rhs = append(s.rhs, v)
	s.pivots = append(s.pivots, p)
	s.solved = nil
}

// Feasible reports whether some counts satisfy every equation: a check
// that the equations describe what the page shows.
func (s *System) Feasible() bool {
	s.solve()
	return s.feasible
}

// Range returns the smallest and largest values of Σ target[i]·x[i] over
// every solution; hi is +Inf when unbounded. ok is false when the system
// has no solution.
func (s *System) Range(target []float64) (lo, hi float64, ok bool) {
	s.solve()
	if !s.feasible {
		return 0, 0, false
	}
	lo, _ = s.solved.optimise(target, false)
	hi, bounded := s.solved.optimise(target, true)
	if !bounded {
		hi = math.Inf(1)
	}
	return lo, hi, true
}

// Determined reports whether Σ target[i]·x[i] has one possible value.
func (s *System) Determined(target []float64) bool {
	lo, hi, ok := s.Range(target)
	return ok && hi-lo < 1e-6
}

// tableau is a system in canonical form: row i expresses basic unknown
// basis[i] in terms of the others; the last column is the right-hand side.
type tableau struct {
	t     [][]float64
	basis []int
	n     int
}

func (s *System) solve() {
	if s.solved != nil {
		return
	}
	if s.contradiction {
		s.solved, s.feasible = &tableau{}, false
		return
	}
	m, n := len(s.rows), s.n
	if m == 0 {
		s.solved, s.feasible = &tableau{n: n}, true
		return
	}
	// Phase 1: an artificial unknown per equation, minimise their sum.
	cols := n + m + 1
	t := make([][]float64, m)
	basis := make([]int, m)
	for i := range m {
		t[i] = make([]float64, cols)
		sign := 1.0
		if s.rhs[i] < 0 {
			sign = -1
		}
		for j := range n {
			t[i][j] = sign * s.rows[i][j]
		}
		t[i][n+i] = 1
		t[i][cols-1] = sign * s.rhs[i]
		basis[i] = n + i
	}
	tb := &tableau{t: t, basis: basis, n: n + m}
	cost := make([]float64, n+m)
	for i := range m {
		cost[n+i] = 1
	}
	val, _ := tb.run(cost, n+m)
	if val > eps {
		s.solved, s.feasible = &tableau{}, false
		return
	}
	// Drive the artificial unknowns out of the basis; a row where none of
	// the real unknowns can enter is redundant and goes.
	var keep []int
	var keepBasis []int
	for i := range tb.t {
		if tb.basis[i] >= n {
			entered := false
			for j := range n {
				if math.Abs(tb.t[i][j]) > eps {
					tb.pivot(i, j)
					entered = true
					break
				}
			}
			if !entered {
				continue
			}
		}
		keep = append(keep, i)
	}
	final := make([][]float64, 0, len(keep))
	for _, i := range keep {
		row := make([]float64, n+1)
		copy(row, tb.t[i][:n])
		row[n] = tb.t[i][cols-1]
		final = append(final, row)
		keepBasis = append(keepBasis, tb.basis[i])
	}
	s.solved, s.feasible = &tableau{t: final, basis: keepBasis, n: n}, true
}

// pivot makes unknown j basic in row r.
func (tb *tableau) pivot(r, j int) {
	row := tb.t[r]
	p := row[j]
	for k := range row {
		row[k] /= p
	}
	for i, other := range tb.t {
		if i == r {
			continue
		}
		f := other[j]
		if f == 0 {
			continue
		}
		for k := range other {
			other[k] -= f * row[k]
		}
	}
	tb.basis[r] = j
}

// run minimises cost over the tableau in place, letting only unknowns
// below enter the basis. It returns the minimum and whether it is bounded.
func (tb *tableau) run(cost []float64, enter int) (float64, bool) {
	last := len(tb.t[0]) - 1
	for {
		// Reduced costs of the unknowns that may enter.
		col := -1
		for j := range enter {
			if tb.isBasic(j) {
				continue
			}
			d := cost[j]
			for i, b := range tb.basis {
				d -= cost[b] * tb.t[i][j]
			}
			if d < -eps {
				col = j
				break
			}
		}
		if col < 0 {
			v := 0.0
			for i, b := range tb.basis {
				v += cost[b] * tb.t[i][last]
			}
			return v, true
		}
		r := -1
		best := math.Inf(1)
		for i := range tb.t {
			if a := tb.t[i][col]; a > eps {
				ratio := tb.t[i][last] / a
				if ratio < best-eps || (ratio < best+eps && r >= 0 && tb.basis[i] < tb.basis[r]) {
					best, r = ratio, i
				}
			}
		}
		if r < 0 {
			return math.Inf(-1), false
		}
		tb.pivot(r, col)
	}
}

func (tb *tableau) isBasic(j int) bool {
	for _, b := range tb.basis {
		if b == j {
			return true
		}
	}
	return false
}

// optimise returns the minimum (or maximum) of target over a copy of the
// canonical tableau, and whether it is bounded.
func (tb *tableau) optimise(target []float64, maximise bool) (float64, bool) {
	if len(tb.t) == 0 {
		// No equation: every unknown is free above zero.
		for _, c := range target {
			if maximise && c > eps {
				return 0, false
			}
		}
		return 0, true
	}
	c := &tableau{t: make([][]float64, len(tb.t)), basis: append([]int(nil), tb.basis...), n: tb.n}
	for i, row := range tb.t {
		c.t[i] = append([]float64(nil), row...)
	}
	cost := make([]float64, tb.n)
	for j := range cost {
		cost[j] = target[j]
		if maximise {
			cost[j] = -target[j]
		}
	}
	v, bounded := c.run(cost, tb.n)
	if maximise {
		v = -v
	}
	return v, bounded
}

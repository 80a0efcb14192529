package assessments

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestCubeLineAttack: an official who reads every page (every filter)
// knows each figure the cube shows; along any line (one dimension
// running over all its values), a figure and its parts add up. If a line
// has one part unknown it follows, and what follows helps with the next
// line. No withheld figure that is not zero may follow that way.
func TestCubeLineAttack(t *testing.T) {
	for seed := range uint64(400) {
		rng := rand.New(rand.NewPCG(seed, 7))
		areas := []string{"a", "b", "c", "d"}[:2+rng.IntN(3)]
		if seed%2 == 1 { // a code carried by a former unit and today's (area groups)
			areas = []string{"a@1", "a@2", "b", "c@1", "c@2"}[:3+rng.IntN(3)]
		}
		sectors := []string{"C", "G", "J"}[:1+rng.IntN(3)]
		sizes := []string{"micro", "small"}[:1+rng.IntN(2)]
		n := 3 + rng.IntN(40)
		rs := make([]Response, n)
		for i := range rs {
			rs[i] = Response{ID: fmt.Sprint(i), Area: areas[rng.IntN(len(areas))], Sector: sectors[rng.IntN(len(sectors))],
				SizeClass: sizes[rng.IntN(len(sizes))], Level: rng.IntN(6)}
		}
		c := newCube(rs, areas, func(r *Response) string { return r.Area }, sectors, sizes)
		known := map[figure]int64{}
		var figs []figure
		var walk func(d int, f figure)
		walk = func(d int, f figure) {
			if d == nDims {
				figs = append(figs, f)
				return
			}
			top := c.n[d]
			if d == dimArea {
				top += len(c.groups)
			}
			for v := -1; v < top; v++ {
				f[d] = v
				walk(d+1, f)
			}
		}
		walk(0, figure{})
		for _, f := range figs {
			if !c.hidden[f] {
				known[f] = c.count[f]
			}
		}
		for changed := true; changed; {
			changed = false
			for _, f := range figs {
				for d := range nDims {
					if f[d] != all {
						continue
					}
					lines := [][]figure{make([]figure, c.n[d])}
					for v := range c.n[d] {
						lines[0][v] = f
						lines[0][v][d] = v
					}
					if d == dimArea {
						for gi, keys := range c.groups {
							// The group's figure and its keys' add up too.
							g := f
							g[d] = c.n[d] + gi
							line := []figure{g}
							for _, k := range keys {
								p := f
								p[d] = k
								line = append(line, p)
							}
							lines = append(lines, line)
						}
					}
					for li, parts := range lines {
						whole := f
						if li > 0 {
							whole, parts = parts[0], parts[1:]
						}
						if deduce(known, whole, parts) {
							changed = true
						}
					}
				}
			}
		}
		for _, f := range figs {
			if c.hidden[f] && c.count[f] > 0 {
				if _, ok := known[f]; ok {
					t.Errorf("seed %d (%d businesses, %d×%d×%d): withheld figure %v = %d follows from the others", seed, n, len(areas), len(sectors), len(sizes), f, c.count[f])
					break
				}
			}
		}
	}
}

// deduce learns what one line (whole = the sum of parts) gives away.
func deduce(known map[figure]int64, whole figure, parts []figure) bool {
	total, haveTotal := known[whole]
	var unknown []figure
	var sum int64
	for _, p := range parts {
		if k, ok := known[p]; ok {
			sum += k
		} else {
			unknown = append(unknown, p)
		}
	}
	switch {
	case haveTotal && len(unknown) == 1:
		known[unknown[0]] = total - sum
		return true
	case !haveTotal && len(unknown) == 0:
		known[whole] = sum
		return true
	}
	return false
}

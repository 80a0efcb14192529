package assessments

// MinGroup is the smallest number of responses the portal shows a figure
// for: a benchmark group, an average or a count under it is withheld, so no
// single business can be picked out.
const MinGroup = 5

// Cell is a count in a published table.
type Cell struct {
	N      int64
	Hidden bool // withheld: shown as "fewer than 5" or as withheld
}

// small reports whether a count is too small to publish (zero is fine: it
// says nothing about any one business).
func small(n int64) bool { return n > 0 && n < MinGroup }

// suppress decides which counts of a table to withhold. cells holds the
// interior counts with their margins: the last column is each row's total
// and the last row each column's total (its last cell the grand total).
//
// Primary: every count from 1 to MinGroup-1 is withheld. Secondary: a line
// (a row or a column with its total) in which exactly one count is withheld
// would give that count away by subtraction, so the smallest other non-zero
// count of the line is withheld too (an interior one before the total).
// This repeats until no line has a single withheld count.
func suppress(cells [][]int64) [][]bool {
	rows := len(cells)
	if rows == 0 {
		return nil
	}
	cols := len(cells[0])
	hidden := make([][]bool, rows)
	for i := range cells {
		hidden[i] = make([]bool, cols)
		for j, n := range cells[i] {
			hidden[i][j] = small(n)
		}
	}
	type pos struct{ i, j int }
	var lines [][]pos
	for i := range rows {
		line := make([]pos, cols)
		for j := range cols {
			line[j] = pos{i, j}
		}
		lines = append(lines, line)
	}
	for j := range cols {
		line := make([]pos, rows)
		for i := range rows {
			line[i] = pos{i, j}
		}
		lines = append(lines, line)
	}
	for changed := true; changed; {
		changed = false
		for _, line := range lines {
			n := 0
			for _, p := range line {
				if hidden[p.i][p.j] {
					n++
				}
			}
			if n != 1 {
				continue
			}
			best := -1
			for k, p := range line {
				if hidden[p.i][p.j] || cells[p.i][p.j] == 0 {
					continue
				}
				margin := k == len(line)-1
				if best < 0 {
					best = k
					continue
				}
				bp := line[best]
				bestMargin := best == len(line)-1
				if (bestMargin && !margin) || (bestMargin == margin && cells[p.i][p.j] < cells[bp.i][bp.j]) {
					best = k
				}
			}
			if best >= 0 {
				hidden[line[best].i][line[best].j] = true
				changed = true
			}
		}
	}
	return hidden
}

package assessments

import (
	"math/rand/v2"
	"testing"
)

func TestSuppressExample(t *testing.T) {
	// Two areas by three levels, with row totals and a total row.
	cells := [][]int64{
		{12, 3, 7, 22},
		{9, 8, 0, 17},
		{21, 11, 7, 39},
	}
	// The 3 is withheld (primary). Its row then withholds the 7 beside it and
	// its column the 8 below it; the 7's column, whose other count is 0,
	// withholds its total; and so on until no line has a lone withheld count.
	want := [][]bool{
		{true, true, true, false},
		{true, true, false, false},
		{false, true, true, false},
	}
	got := suppress(cells)
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("suppress = %v, want %v", got, want)
				return
			}
		}
	}
	checkSuppression(t, cells, got)
}

// checkSuppression asserts what suppression promises: every count from 1
// to 4 is withheld, and no row or column has exactly one withheld count.
func checkSuppression(t *testing.T, cells [][]int64, hidden [][]bool) {
	t.Helper()
	rows, cols := len(cells), len(cells[0])
	for i := range rows {
		n := 0
		for j := range cols {
			if small(cells[i][j]) && !hidden[i][j] {
				t.Errorf("count %d at %d,%d shown", cells[i][j], i, j)
			}
			if hidden[i][j] {
				n++
			}
		}
		if n == 1 {
			t.Errorf("row %d has one withheld count, which its total gives away: %v %v", i, cells[i], hidden[i])
		}
	}
	for j := range cols {
		n := 0
		for i := range rows {
			if hidden[i][j] {
				n++
			}
		}
		if n == 1 {
			t.Errorf("column %d has one withheld count", j)
		}
	}
}

func TestSuppressRandomTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		r, c := 1+rng.IntN(6), 1+rng.IntN(6)
		cells := make([][]int64, r+1)
		for i := range cells {
			cells[i] = make([]int64, c+1)
		}
		for i := range r {
			for j := range c {
				v := int64(rng.IntN(12))
				if rng.IntN(3) == 0 {
					v = 0
				}
				cells[i][j] = v
				cells[i][c] += v
				cells[r][j] += v
				cells[r][c] += v
			}
		}
		checkSuppression(t, cells, suppress(cells))
		if t.Failed() {
			t.Fatalf("table %v", cells)
		}
	}
}

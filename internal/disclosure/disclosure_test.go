package disclosure

import (
	"math"
	"testing"
)

// A 2×2 table with margins: x0 x1 | 5 ; x2 x3 | 5 ; columns 4, 6.
func TestRange(t *testing.T) {
	s := New(4)
	s.Equal([]float64{1, 1, 0, 0}, 5)
	s.Equal([]float64{0, 0, 1, 1}, 5)
	s.Equal([]float64{1, 0, 1, 0}, 4)
	s.Equal([]float64{0, 1, 0, 1}, 6)
	lo, hi, ok := s.Range([]float64{1, 0, 0, 0})
	if !ok || lo != 0 || hi != 4 {
		t.Errorf("x0 in [%v, %v] %v, want [0, 4]", lo, hi, ok)
	}
	// Shown x1 = 5 pins everything.
	s.Equal([]float64{0, 1, 0, 0}, 5)
	for j := range 4 {
		target := make([]float64, 4)
		target[j] = 1
		if !s.Determined(target) {
			t.Errorf("x%d not determined", j)
		}
	}
	// Unbounded: x0 - x1 = 0 alone.
	u := New(2)
	u.Equal([]float64{1, -1}, 0)
	if _, hi, _ := u.Range([]float64{1, 0}); !math.IsInf(hi, 1) {
		t.Errorf("hi = %v, want +Inf", hi)
	}
	// Infeasible.
	f := New(1)
	f.Equal([]float64{1}, -1)
	if f.Feasible() {
		t.Error("x = -1 with x ≥ 0 is feasible?")
	}
}

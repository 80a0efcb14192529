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

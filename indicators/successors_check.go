package indicators

import (
	"math"
	"strconv"
)

// mappingCheck finds, row by row, the mappings a file cannot mean: the same
// old and new code twice (the second would break the one-link-per-pair rule
// of org_unit_successors, and the import fail as a whole), an old unit gone
// wholly ("toàn bộ") into one unit and also somewhere else (its figures
// would count twice), and, once the file is read, an old unit whose every
// row states a share and whose shares add up to less than 100% (the rest of
// its figures would vanish from every total). More than 100% is refused as
// the rows come (ParseMappings).
type mappingCheck struct {
	pair  map[[2]string]int // old and new code → first row
	first map[string]int    // old code → its first row
	full  map[string]int    // old code → its row going wholly
	last  map[string]int    // old code → its last row
	share map[string]float64
	// unshared holds the old codes with a row stating no share: their
	// split is not comparable, not short.
	unshared map[string]bool
	// bad holds the old codes with a row refused here: what their
	// shares add up to says nothing more.
	bad   map[string]bool
	order []string
}

// shareSlack is how far the shares of an old unit may add up from 100%:
// shares written with two decimals of a percentage round (three of 33.33%
// make 99.99%, six of 16.67% make 100.02%, which was refused as more than
// the whole).
const shareSlack = 0.001

func newMappingCheck() *mappingCheck {
	return &mappingCheck{pair: map[[2]string]int{}, first: map[string]int{}, full: map[string]int{},
		last: map[string]int{}, share: map[string]float64{}, unshared: map[string]bool{}, bad: map[string]bool{}}
}

// row checks m against the rows before it; a problem found means the row
// is left out.
func (c *mappingCheck) row(m MappingRow) (e RowError, bad bool) {
	defer func() {
		if bad {
			c.bad[m.OldCode] = true
		}
	}()
	if prev, ok := c.pair[[2]string{m.OldCode, m.NewCode}]; ok {
		return RowError{Row: m.Row, Column: "Mã mới", Value: m.NewCode, MsgID: "indicators.import.error.mapping_duplicate", Other: prev}, true
	}
	if prev, ok := c.full[m.OldCode]; ok {
		return RowError{Row: m.Row, Column: "Mã cũ", Value: m.OldCode, MsgID: "indicators.import.error.mapping_full_more", Other: prev}, true
	}
	if prev, ok := c.first[m.OldCode]; ok && m.Full {
		return RowError{Row: m.Row, Column: "Mã cũ", Value: m.OldCode, MsgID: "indicators.import.error.mapping_full_more", Other: prev}, true
	}
	return RowError{}, false
}

// add records a row accepted.
func (c *mappingCheck) add(m MappingRow) {
	c.pair[[2]string{m.OldCode, m.NewCode}] = m.Row
	if _, ok := c.first[m.OldCode]; !ok {
		c.first[m.OldCode] = m.Row
		c.order = append(c.order, m.OldCode)
	}
	if m.Full {
		c.full[m.OldCode] = m.Row
	}
	c.last[m.OldCode] = m.Row
	if m.Weight == nil {
		c.unshared[m.OldCode] = true
	} else {
		c.share[m.OldCode] += *m.Weight
	}
}

// short returns a problem for each old unit whose shares, all stated, fall
// short of the whole, on its last row.
func (c *mappingCheck) short() []RowError {
	var errs []RowError
	for _, code := range c.order {
		if c.unshared[code] || c.bad[code] || c.share[code] >= 1-shareSlack {
			continue
		}
		pct := strconv.FormatFloat(math.Round(c.share[code]*10000)/100, 'f', -1, 64) + "%"
		errs = append(errs, RowError{Row: c.last[code], Column: "Tỷ lệ", Value: pct, MsgID: "indicators.import.error.weight_short"})
	}
	return errs
}

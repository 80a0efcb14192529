package assessments

import (
	"errors"
	"fmt"
)

// Profile is what the assessment asks about the business before the
// questions: enough to compare it with its peers, nothing that names it.
type Profile struct {
	Sector    string `json:"sector"`    // VSIC 2018 section letter
	Employees int    `json:"employees"` // yearly average with social insurance
	Revenue   string `json:"revenue"`   // revenue band ID
	Capital   string `json:"capital"`   // capital band ID or CapitalUnknown
	Area      string `json:"area"`      // area code (see Area); empty when none was offered
}

// CapitalUnknown is the capital answer of someone who does not know it.
const CapitalUnknown = "unknown"

// MaxEmployees bounds the employee count a form may give.
const MaxEmployees = 1_000_000

// Sector is a VSIC 2018 section.
type Sector struct {
	Code  string `toml:"code"`
	Group string `toml:"group"` // the sector group of Decree 80/2021/NĐ-CP
	Name  Text   `toml:"name"`
}

// MoneyBand is a band of revenue or capital, in billions of đồng.
type MoneyBand struct {
	ID    string  `toml:"id"`
	Max   float64 `toml:"max"` // inclusive; 0 means no upper limit
	Label Text    `toml:"label"`
}

// SizeLimit is a size class's limits for one sector group.
type SizeLimit struct {
	Group     string  `toml:"group"`
	Employees int     `toml:"employees"`
	Revenue   float64 `toml:"revenue"`
	Capital   float64 `toml:"capital"`
}

// SizeClass is a size class of Decree 80/2021/NĐ-CP; the last has no limits.
type SizeClass struct {
	ID     string      `toml:"id"`
	Name   Text        `toml:"name"`
	Limits []SizeLimit `toml:"limits"`
}

// ProfileData holds the choices of the profile form, from profile.toml.
type ProfileData struct {
	Sectors      []Sector    `toml:"sectors"`
	RevenueBands []MoneyBand `toml:"revenue_bands"`
	CapitalBands []MoneyBand `toml:"capital_bands"`
	SizeClasses  []SizeClass `toml:"size_classes"`
}

func (d *ProfileData) check() error {
	var errs []error
	codes := map[string]bool{}
	for _, s := range d.Sectors {
		if s.Code == "" || codes[s.Code] || !s.Name.complete() || (s.Group != "agri-industry" && s.Group != "trade-services") {
			errs = append(errs, fmt.Errorf("sector %q: empty, repeated, unnamed or of no group", s.Code))
		}
		codes[s.Code] = true
	}
	for _, bands := range [][]MoneyBand{d.RevenueBands, d.CapitalBands} {
		for i, b := range bands {
			last := i == len(bands)-1
			if b.ID == "" || b.ID == CapitalUnknown || !b.Label.complete() || (last != (b.Max == 0)) || (i > 0 && !last && b.Max <= bands[i-1].Max) {
				errs = append(errs, fmt.Errorf("band %q: bad id, label or bound", b.ID))
			}
		}
	}
	n := len(d.SizeClasses)
	if n < 2 || len(d.SizeClasses[n-1].Limits) != 0 {
		errs = append(errs, fmt.Errorf("size classes: want limited classes then one unlimited"))
	}
	for i, c := range d.SizeClasses {
		if c.ID == "" || !c.Name.complete() || (i < n-1 && len(c.Limits) != 2) {
			errs = append(errs, fmt.Errorf("size class %q: limits for both sector groups and a name", c.ID))
		}
	}
	return errors.Join(errs...)
}

// Sector returns the sector with code.
func (d *ProfileData) Sector(code string) (*Sector, bool) {
	for i := range d.Sectors {
		if d.Sectors[i].Code == code {
			return &d.Sectors[i], true
		}
	}
	return nil, false
}

// SizeClassByID returns the size class with id.
func (d *ProfileData) SizeClassByID(id string) (*SizeClass, bool) {
	for i := range d.SizeClasses {
		if d.SizeClasses[i].ID == id {
			return &d.SizeClasses[i], true
		}
	}
	return nil, false
}

func band(bands []MoneyBand, id string) (*MoneyBand, bool) {
	for i := range bands {
		if bands[i].ID == id {
			return &bands[i], true
		}
	}
	return nil, false
}

// RevenueBand returns the revenue band with id.
func (d *ProfileData) RevenueBand(id string) (*MoneyBand, bool) { return band(d.RevenueBands, id) }

// CapitalBand returns the capital band with id.
func (d *ProfileData) CapitalBand(id string) (*MoneyBand, bool) { return band(d.CapitalBands, id) }

// within reports whether every amount in the band is at most limit.
func (b *MoneyBand) within(limit float64) bool { return b.Max > 0 && b.Max <= limit }

// SizeClassOf returns the size class of a checked profile by Decree
// 80/2021/NĐ-CP, Article 5: the smallest class whose employee limit holds
// and whose revenue limit or capital limit holds, for the sector's group.
func (d *ProfileData) SizeClassOf(p Profile) string {
	sector, ok := d.Sector(p.Sector)
	if !ok {
		return ""
	}
	rev, _ := d.RevenueBand(p.Revenue)
	capital, _ := d.CapitalBand(p.Capital)
	for _, c := range d.SizeClasses {
		for _, l := range c.Limits {
			if l.Group != sector.Group || p.Employees > l.Employees {
				continue
			}
			if (rev != nil && rev.within(l.Revenue)) || (capital != nil && capital.within(l.Capital)) {
				return c.ID
			}
		}
	}
	return d.SizeClasses[len(d.SizeClasses)-1].ID
}

// FieldError is a problem with one form field, named by a message ID that
// the server translates.
type FieldError struct {
	Field string
	MsgID string
}

// CheckProfile reports the profile's choices that are not among the
// offered ones (a form sent by hand, or a list that changed meanwhile).
// areas are the areas offered today; with none, the profile names none.
func (c *Catalog) CheckProfile(p Profile, areas []Area) []FieldError {
	var errs []FieldError
	if _, ok := c.Profile.Sector(p.Sector); !ok {
		errs = append(errs, FieldError{"sector", "assessment.error.choice"})
	}
	if p.Employees < 0 || p.Employees > MaxEmployees {
		errs = append(errs, FieldError{"employees", "assessment.error.employees"})
	}
	if _, ok := c.Profile.RevenueBand(p.Revenue); !ok {
		errs = append(errs, FieldError{"revenue", "assessment.error.choice"})
	}
	if _, ok := c.Profile.CapitalBand(p.Capital); !ok && p.Capital != CapitalUnknown {
		errs = append(errs, FieldError{"capital", "assessment.error.choice"})
	}
	switch {
	case p.Area == "" && len(areas) > 0:
		errs = append(errs, FieldError{"area", "assessment.error.area"})
	case p.Area != "" && !offered(areas, p.Area):
		errs = append(errs, FieldError{"area", "assessment.error.choice"})
	}
	return errs
}

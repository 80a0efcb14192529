package assessments

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/uptrace/bun"
)

// Demo data. DemoResponseID is a fixed, well-known ID so that the browser
// checks (and a curious visitor of a demo portal) can open a finished
// result: its series is marked demo, which makes it open to every visitor
// without a resume code. It is demo data only, made by SeedDemo, never by
// a visitor.
const (
	DemoResponseID = "5eed5eed5eed5eed5eed5eed5e"
	demoPreviousID = "5eed5eed5eed5eed5eed5eed00"
	demoSeriesID   = "5eed5eed5eed5eed5eed5eed55"
	// demoPeers is how many other demo businesses fill the aggregates and
	// the benchmark.
	demoPeers = 72
)

// demoHomeArea is the demo business's ward in the demo units: Phường Vũng
// Tàu of Hồ Chí Minh City.
const demoHomeArea = "26506"

// demoFormerAreas are the districts of Bà Rịa – Vũng Tàu in the demo units,
// abolished on 1 July 2025: a few made-up businesses named them in the
// spring before, as the assessment's list then offered them.
var demoFormerAreas = []string{"747", "748", "750", "751", "752", "753", "754", "755"}

// SeedDemo adds demo results: the well-known demo response (a small trading
// business in Vũng Tàu that took the assessment twice) and demoPeers other
// made-up businesses in the areas of places, submitted over the past year,
// most of them consenting, and a few from before the 2025 reorganisation
// that name a district of then. Answers are drawn from a fixed seed, so
// every demo portal shows the same figures. Running it again changes
// nothing.
func SeedDemo(ctx context.Context, db bun.IDB, places Places) error {
	c, err := LoadCatalog()
	if err != nil {
		return err
	}
	m := c.Current()
	now := time.Now().UTC()
	areas, err := places.Areas(ctx)
	if err != nil {
		return fmt.Errorf("assessments.SeedDemo: %w", err)
	}
	area := func(rng *rand.Rand) string {
		if len(areas) == 0 {
			return ""
		}
		return areas[rng.IntN(len(areas))].Code
	}
	home := ""
	if len(areas) > 0 {
		home = areas[0].Code
	}
	if offered(areas, demoHomeArea) {
		home = demoHomeArea
	}
	var former []string
	before := demoBeforeReorganisation(now)
	var refs []AreaRef
	for _, code := range demoFormerAreas {
		refs = append(refs, AreaRef{Code: code, Day: before.Format(time.DateOnly)})
	}
	named, err := places.Resolve(ctx, refs)
	if err != nil {
		return fmt.Errorf("assessments.SeedDemo: %w", err)
	}
	for _, ref := range refs {
		if a, ok := named[ref]; ok && a.Former() {
			former = append(former, ref.Code)
		}
	}
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*Series)(nil)).Where("id = ?", demoSeriesID).Count(ctx)
		if err != nil || n > 0 {
			return err
		}
		rng := rand.New(rand.NewPCG(2021, 1970))
		prev := demoResponse(m, rng, 0.35, now.AddDate(0, -7, 0))
		prev.ID = demoPreviousID
		cur := demoResponse(m, rng, 0.6, now.AddDate(0, 0, -3))
		cur.ID, cur.PreviousID = DemoResponseID, demoPreviousID
		for _, r := range []*Response{prev, cur} {
			r.SeriesID = demoSeriesID
			r.Sector, r.Employees, r.Revenue, r.Capital, r.Area = "G", 25, "r3", CapitalUnknown, home
		}
		series := []*Series{{ID: demoSeriesID, ResumeHash: hashCode(NewID()), Demo: true, CreatedAt: prev.CreatedAt}}
		responses := []*Response{prev, cur}

		for i, code := range former {
			s := &Series{ID: NewID(), ResumeHash: hashCode(NewID()), Demo: true}
			r := demoResponse(m, rng, rng.Float64(), before.AddDate(0, 0, -9*i))
			r.ID, r.SeriesID, s.CreatedAt = NewID(), s.ID, r.CreatedAt
			r.Sector, r.Employees, r.Revenue = demoSectors[rng.IntN(len(demoSectors))], 20, "r2"
			r.Capital, r.Area = CapitalUnknown, code
			series = append(series, s)
			responses = append(responses, r)
		}
		for i := range demoPeers {
			s := &Series{ID: NewID(), ResumeHash: hashCode(NewID()), Demo: true}
			at := now.Add(-time.Duration(rng.IntN(360*24)) * time.Hour)
			r := demoResponse(m, rng, rng.Float64(), at)
			r.ID, r.SeriesID = NewID(), s.ID
			s.CreatedAt = r.CreatedAt
			// A third of the peers share the demo business's sector and size,
			// so its closest benchmark group is large enough to show.
			if i%3 == 0 {
				r.Sector, r.Employees, r.Revenue = "G", 11+rng.IntN(39), "r3"
			} else {
				r.Sector = demoSectors[rng.IntN(len(demoSectors))]
				r.Employees = []int{3, 8, 20, 45, 80, 150}[rng.IntN(6)]
				r.Revenue = c.Profile.RevenueBands[rng.IntN(4)].ID
			}
			r.Capital, r.Area = CapitalUnknown, area(rng)
			if rng.IntN(8) == 0 {
				r.ConsentVersion, r.ConsentAt = "", time.Time{}
			}
			series = append(series, s)
			responses = append(responses, r)
		}
		for _, r := range responses {
			r.SizeClass = c.Profile.SizeClassOf(r.Profile())
			if err := m.record(r); err != nil {
				return fmt.Errorf("demo %s: %w", r.ID, err)
			}
		}
		if _, err := tx.NewInsert().Model(&series).Exec(ctx); err != nil {
			return err
		}
		_, err = tx.NewInsert().Model(&responses).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("assessments.SeedDemo: %w", err)
	}
	return nil
}

// demoBeforeReorganisation is when the demo's earliest results were
// submitted: in the spring before the 2025 reorganisation, or a year before
// now on a clock that has not reached it.
func demoBeforeReorganisation(now time.Time) time.Time {
	spring := time.Date(2025, 6, 10, 3, 0, 0, 0, time.UTC)
	if now.Before(spring) {
		return now.AddDate(-1, 0, 0)
	}
	return spring
}

// demoSectors are the sectors the made-up businesses are drawn from, the
// common ones more often.
var demoSectors = []string{"G", "G", "G", "I", "I", "C", "C", "F", "A", "H", "M", "S", "N", "J"}

// demoResponse makes a submitted, consenting response whose answers lean
// towards maturity p in [0,1].
func demoResponse(m *Model, rng *rand.Rand, p float64, at time.Time) *Response {
	at = at.UTC().Truncate(time.Second)
	answers := Answers{}
	for _, pl := range m.Pillars {
		for i := range pl.Items {
			answers[pl.Items[i].ID] = demoAnswer(&pl.Items[i], rng, p)
		}
	}
	for i := range m.Context {
		it := &m.Context[i]
		var checked []string
		for _, o := range it.Options {
			if !o.Exclusive && rng.Float64() < 0.3 {
				checked = append(checked, o.ID)
			}
		}
		if len(checked) > 0 {
			answers[it.ID] = Answer{Checked: checked}
		}
	}
	return &Response{
		ModelVersion: m.Version, Answers: answers,
		ConsentVersion: ConsentVersion, ConsentAt: at,
		CreatedAt: at.Add(-20 * time.Minute), UpdatedAt: at, SubmittedAt: at,
	}
}

func demoAnswer(it *Item, rng *rand.Rand, p float64) Answer {
	jitter := func(scale float64) int {
		return int(math.Round(p*scale + rng.NormFloat64()))
	}
	clamp := func(v, lo, hi int) int { return max(lo, min(hi, v)) }
	if it.AllowNA && rng.IntN(10) == 0 {
		return Answer{Choice: ChoiceNA}
	}
	switch it.Type {
	case GateLadder:
		if rng.Float64() > p+0.25 {
			return Answer{Choice: ChoiceNo}
		}
		return Answer{Choice: ChoiceYes, Rung: clamp(1+jitter(4), 1, 5)}
	case YesPartialNo:
		switch x := rng.Float64(); {
		case x < p:
			return Answer{Choice: ChoiceYes}
		case x < p+0.3:
			return Answer{Choice: ChoicePartial}
		}
		return Answer{Choice: ChoiceNo}
	case Scale:
		return Answer{Choice: strconv.Itoa(clamp(jitter(5), 0, 5))}
	case Ratio:
		v := max(0, min(100, math.Round(130*p*rng.Float64())))
		return Answer{Percent: &v}
	}
	var checked []string
	none := ""
	for _, o := range it.Options {
		switch {
		case o.Exclusive:
			none = o.ID
		case o.Weight > 0 && rng.Float64() < p:
			checked = append(checked, o.ID)
		case o.Weight < 0 && rng.Float64() < (1-p)/2:
			checked = append(checked, o.ID)
		}
	}
	if len(checked) == 0 && none != "" {
		checked = []string{none}
	}
	if len(checked) == 0 {
		checked = []string{it.Options[0].ID}
	}
	return Answer{Checked: checked}
}

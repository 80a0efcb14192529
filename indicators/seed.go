package indicators

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"path"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

//go:embed demo/*.csv
var demoFiles embed.FS

// Demo lists: see demo/SOURCE.md for where they come from.
const (
	demoBefore     = "demo/ba-ria-vung-tau-2020.csv"
	demoBeforeDay  = "2020-01-01"
	demoAfter      = "demo/ho-chi-minh-2025-07-01.csv"
	demoMapping    = "demo/successors-2025-07-01.csv"
	ReorgDay       = "2025-07-01" // the day the 2025 reorganisation took effect
	demoHomeUnit   = "79"
	demoFirstMonth = "2024-01"
	demoSource     = "demo: GSO list as remembered, see indicators/demo/SOURCE.md"
)

// settingHome is the code of the unit the public dashboards start at: the
// portal's province.
const settingHome = "home_unit"

// HomeUnit returns the code of the portal's province ("" when not set).
func HomeUnit(ctx context.Context, db bun.IDB) (string, error) {
	return getSetting(ctx, db, settingHome, "")
}

// setHomeUnit sets the unit the public dashboards start at; SaveSettings
// is how an admin changes it.
func setHomeUnit(ctx context.Context, db bun.IDB, code string) error {
	return putSetting(ctx, db, settingHome, code)
}

// SeedDemo loads the demo: the definitions, Bà Rịa – Vũng Tàu's units before
// the 2025 reorganisation and the part of Hồ Chí Minh City that replaced it,
// the successor mapping, and plausible monthly values from January 2024 to
// last month (approved, except that last month is still coming in). It is
// idempotent.
func SeedDemo(ctx context.Context, db bun.IDB) error {
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := SeedDefinitions(ctx, tx); err != nil {
			return err
		}
		for _, f := range []struct {
			file, day string
			complete  bool
		}{{demoBefore, demoBeforeDay, false}, {demoAfter, ReorgDay, true}} {
			data, err := demoFiles.ReadFile(f.file)
			if err != nil {
				return fmt.Errorf("indicators.SeedDemo: %w", err)
			}
			list, errs, err := ParseUnitList(ctx, data)
			if err != nil || len(errs) > 0 {
				return fmt.Errorf("indicators.SeedDemo: %s: %v %v", f.file, err, errs)
			}
			if _, err := ImportUnits(ctx, tx, list, f.day, demoSource, f.complete); err != nil {
				return err
			}
		}
		data, err := demoFiles.ReadFile(demoMapping)
		if err != nil {
			return fmt.Errorf("indicators.SeedDemo: %w", err)
		}
		rows, errs, err := ParseMappings(ctx, data)
		if err != nil || len(errs) > 0 {
			return fmt.Errorf("indicators.SeedDemo: mapping: %v %v", err, errs)
		}
		res, err := ImportMappings(ctx, tx, rows, ReorgDay)
		if err != nil || len(res.Errors) > 0 {
			return fmt.Errorf("indicators.SeedDemo: mapping: %v %v", err, res.Errors)
		}
		if err := seedDemoJob(ctx, tx, res); err != nil {
			return err
		}
		if home, err := HomeUnit(ctx, tx); err != nil {
			return err
		} else if home == "" {
			if err := setHomeUnit(ctx, tx, demoHomeUnit); err != nil {
				return err
			}
		}
		n, err := tx.NewSelect().Model((*Report)(nil)).Count(ctx)
		if err != nil {
			return fmt.Errorf("indicators.SeedDemo: %w", err)
		}
		if n == 0 {
			if err := seedDemoValues(ctx, tx, time.Now()); err != nil {
				return err
			}
		}
		return RebuildRollups(ctx, tx, time.Now())
	})
}

// seedDemoJob records the demo mapping's import as a finished job of the
// admin page, so that the job page has one to show, once.
func seedDemoJob(ctx context.Context, tx bun.IDB, m MappingImport) error {
	n, err := tx.NewSelect().Model((*UnitJob)(nil)).Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	out, err := json.Marshal(UnitFileResult{Kind: SuccessorMapping, Mappings: m})
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	j := UnitJob{Kind: SuccessorMapping, Day: ReorgDay, Name: path.Base(demoMapping), Data: "{}", Status: JobDone,
		Result: string(out), Email: "portal seed --demo", CreatedAt: now, StartedAt: bun.NullTime{Time: now}, FinishedAt: bun.NullTime{Time: now}}
	if _, err := tx.NewInsert().Model(&j).Exec(ctx); err != nil {
		return fmt.Errorf("indicators.SeedDemo: job: %w", err)
	}
	return nil
}

// demoRates are each entered element's share of its base in January 2024 and
// its monthly growth, chosen to look like a province near the 2025 targets.
var demoRates = map[string][2]float64{
	ElemFibreHouseholds: {0.72, 0.005},
	ElemSmartphone:      {0.74, 0.005},
	ElemAccount:         {0.70, 0.005},
	ElemSignature:       {0.18, 0.011},
	ElemVNeID:           {0.42, 0.012},
	ElemTrained:         {0.36, 0.011},
}

// demoValue is the made-up figure of element code for the old unit with
// code unit in month t (0 = January 2024).
func demoValue(unit, code string, t int) float64 {
	h := fnv.New32a()
	h.Write([]byte(unit))
	seed := float64(h.Sum32()%10000) / 10000 // 0…1, fixed per unit
	households := (1400 + 7000*seed) * (1 + 0.001*float64(t))
	pop15 := households * 2.7
	switch code {
	case ElemHouseholds:
		return households
	case ElemPop15:
		return pop15
	case ElemWorkingAge:
		return pop15 * 0.81
	}
	r := demoRates[code]
	base := r[0] + 0.1*(seed-0.5)
	wobble := 0.004 * math.Sin(float64(t)+seed*7)
	share := math.Min(0.97, math.Max(0.02, base+r[1]*float64(t)+wobble))
	switch code {
	case ElemFibreHouseholds:
		return households * share
	case ElemTrained:
		return pop15 * 0.81 * share
	}
	return pop15 * share
}

func seedDemoValues(ctx context.Context, tx bun.Tx, now time.Time) error {
	els, err := EnteredElements(ctx, tx)
	if err != nil {
		return err
	}
	first, _ := ParsePeriod(demoFirstMonth)
	last := MonthOf(now).Prev()
	reorg, _ := ParsePeriod("2025-07")
	// New units' figures are their old units' figures, weighted, so that the
	// series runs on smoothly across the reorganisation.
	newFrom := map[string][]struct {
		old string
		w   float64
	}{}
	var succ []struct {
		Old    string   `bun:"old"`
		New    string   `bun:"new"`
		Weight *float64 `bun:"weight"`
	}
	err = tx.NewSelect().TableExpr("org_unit_successors AS s").
		ColumnExpr("o.code AS old, n.code AS new, s.weight").
		Join("JOIN org_units AS o ON o.id = s.old_unit_id").Join("JOIN org_units AS n ON n.id = s.new_unit_id").
		Where("n.valid_from = ?", ReorgDay).Scan(ctx, &succ)
	if err != nil {
		return fmt.Errorf("indicators.seedDemoValues: %w", err)
	}
	for _, s := range succ {
		w := 1.0
		if s.Weight != nil {
			w = *s.Weight
		}
		newFrom[s.New] = append(newFrom[s.New], struct {
			old string
			w   float64
		}{s.Old, w})
	}
	at := now.UTC()
	t := 0
	for m := first; m.Compare(last) <= 0; m, t = m.Next(), t+1 {
		units, err := UnitsOn(ctx, tx, m.Day())
		if err != nil {
			return err
		}
		var reps []Report
		var vals [][]int64
		for _, u := range units {
			if ok, err := IsReporting(ctx, tx, &u, m); err != nil {
				return err
			} else if !ok {
				continue
			}
			status := StatusApproved
			if m == last {
				switch h := hashOf(u.Code) % 10; {
				case h < 5:
				case h < 8:
					status = StatusSubmitted
				case h < 9:
					status = StatusDraft
				default:
					continue // not reported yet
				}
			}
			rep := Report{UnitID: u.ID, Period: m.String(), Status: status, UpdatedAt: at, SubmittedAt: &at}
			if status == StatusApproved {
				rep.ApprovedAt = &at
			}
			row := make([]int64, len(els))
			for i, e := range els {
				var f float64
				if m.Compare(reorg) < 0 {
					f = demoValue(u.Code, e.Code, t)
				} else {
					for _, o := range newFrom[u.Code] {
						f += o.w * demoValue(o.old, e.Code, t)
					}
				}
				row[i] = int64(math.Round(f))
			}
			reps = append(reps, rep)
			vals = append(vals, row)
		}
		if len(reps) == 0 {
			continue
		}
		if _, err := tx.NewInsert().Model(&reps).Exec(ctx); err != nil {
			return fmt.Errorf("indicators.seedDemoValues: %w", err)
		}
		var rows []valueRow
		for i, r := range reps {
			for j, e := range els {
				rows = append(rows, valueRow{ReportID: r.ID, ElementID: e.ID, Value: vals[i][j]})
			}
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return fmt.Errorf("indicators.seedDemoValues: %w", err)
		}
	}
	return nil
}

func hashOf(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// DemoFile returns one of the embedded demo files (see demo/SOURCE.md), for
// tests and for trying the importers.
func DemoFile(name string) ([]byte, error) { return demoFiles.ReadFile("demo/" + name) }

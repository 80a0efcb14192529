package indicators

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/uptrace/bun"
)

// National scale of the 2025 reorganisation (REFERENCES.md): 63 provinces
// and about 10,035 commune-level units before, 34 provinces and 3,321
// commune-level units after, with no district level.
const (
	genOldProvinces = 63
	genOldCommunes  = 10035
	genNewProvinces = 34
	genNewCommunes  = 3321
	genDistricts    = 11 // per old province, about 700 in all
)

// GenerateOptions shape the benchmark data.
type GenerateOptions struct {
	Months int // monthly periods of values, ending last month
	Now    time.Time
	Log    io.Writer // progress lines; nil for none
}

// GenerateNational fills an empty database with a synthetic country at the
// scale of the 2025 reorganisation: the old provinces, districts and 10,035
// communes from 2020, the 34 new provinces and 3,321 communes from
// 1 July 2025 (new codes reuse old ones, as the statistics office's did),
// the successor mapping (2% of old communes split 70/30 between two new
// ones, 4% split between two with no share given), the nine entered elements for every reporting unit and month, all
// approved, and the roll-ups. The names are made up; the shape is real.
func GenerateNational(ctx context.Context, db bun.IDB, o GenerateOptions) error {
	logf := func(format string, a ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format+"\n", a...)
		}
	}
	if o.Months <= 0 {
		o.Months = 48
	}
	if err := SeedDefinitions(ctx, db); err != nil {
		return err
	}
	var before, after []ListUnit
	oldProv := func(i int) string { return fmt.Sprintf("%02d", i+1) }
	for p := range genOldProvinces {
		before = append(before, ListUnit{Code: oldProv(p), Name: fmt.Sprintf("Tỉnh Cũ %d", p+1), Kind: KindProvince})
	}
	for d := range genOldProvinces * genDistricts {
		p := d / genDistricts
		before = append(before, ListUnit{Code: fmt.Sprintf("%03d", 100+d), Name: fmt.Sprintf("Huyện %d", d+1), Kind: KindDistrict, ParentCode: oldProv(p)})
	}
	for c := range genOldCommunes {
		d := c * genOldProvinces * genDistricts / genOldCommunes
		before = append(before, ListUnit{Code: fmt.Sprintf("%05d", 10000+c), Name: fmt.Sprintf("Xã Cũ %d", c+1), Kind: KindCommune, ParentCode: fmt.Sprintf("%03d", 100+d)})
	}
	// Each new province takes whole old provinces; each new commune takes
	// about three old communes of one new province and reuses the first
	// one's code.
	newProvOfOld := func(p int) int { return p * genNewProvinces / genOldProvinces }
	for p := range genNewProvinces {
		after = append(after, ListUnit{Code: oldProv(p * genOldProvinces / genNewProvinces), Name: fmt.Sprintf("Tỉnh Mới %d", p+1), Kind: KindProvince})
	}
	newCommuneOfOld := func(c int) int { return c * genNewCommunes / genOldCommunes }
	firstOld := make([]int, genNewCommunes)
	for c := genOldCommunes - 1; c >= 0; c-- {
		firstOld[newCommuneOfOld(c)] = c
	}
	provOfOldCommune := func(c int) int { return c * genOldProvinces * genDistricts / genOldCommunes / genDistricts }
	for n := range genNewCommunes {
		p := newProvOfOld(provOfOldCommune(firstOld[n]))
		after = append(after, ListUnit{Code: fmt.Sprintf("%05d", 10000+firstOld[n]), Name: fmt.Sprintf("Xã Mới %d", n+1), Kind: KindCommune, ParentCode: after[p].Code})
	}
	start := time.Now()
	res, err := ImportUnits(ctx, db, before, "2020-01-01", "generated", true)
	if err != nil {
		return err
	}
	logf("imported %d units before the reorganisation in %s", res.Created, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	res2, err := ImportUnits(ctx, db, after, ReorgDay, "generated", true)
	if err != nil {
		return err
	}
	logf("imported the units after the reorganisation in %s: %+v", time.Since(start).Round(time.Millisecond), res2)
	var maps []MappingRow
	for p := range genOldProvinces {
		maps = append(maps, MappingRow{OldCode: oldProv(p), NewCode: after[newProvOfOld(p)].Code, Full: true})
	}
	for c := range genOldCommunes {
		n := newCommuneOfOld(c)
		nc := fmt.Sprintf("%05d", 10000+firstOld[n])
		sameProvince := n+1 < genNewCommunes && newProvOfOld(provOfOldCommune(firstOld[n+1])) == newProvOfOld(provOfOldCommune(c))
		switch {
		case c%50 == 7 && sameProvince:
			a, b := 0.7, 0.3
			maps = append(maps, MappingRow{OldCode: fmt.Sprintf("%05d", 10000+c), NewCode: nc, Weight: &a},
				MappingRow{OldCode: fmt.Sprintf("%05d", 10000+c), NewCode: fmt.Sprintf("%05d", 10000+firstOld[n+1]), Weight: &b})
			continue
		case c%25 == 11 && sameProvince:
			// Split with no share given, as some 460 real ones are:
			// not comparable in the communes, whole in the province.
			maps = append(maps, MappingRow{OldCode: fmt.Sprintf("%05d", 10000+c), NewCode: nc},
				MappingRow{OldCode: fmt.Sprintf("%05d", 10000+c), NewCode: fmt.Sprintf("%05d", 10000+firstOld[n+1])})
			continue
		}
		maps = append(maps, MappingRow{OldCode: fmt.Sprintf("%05d", 10000+c), NewCode: nc, Full: true})
	}
	start = time.Now()
	mres, err := ImportMappings(ctx, db, maps, ReorgDay)
	if err != nil {
		return err
	}
	if len(mres.Errors) > 0 {
		return fmt.Errorf("indicators.GenerateNational: mapping: %v", mres.Errors[0])
	}
	logf("imported %d successor mappings in %s", len(maps), time.Since(start).Round(time.Millisecond))
	if err := generateValues(ctx, db, o, logf); err != nil {
		return err
	}
	start = time.Now()
	if err := RebuildRollups(ctx, db, o.Now); err != nil {
		return err
	}
	logf("built the roll-ups in %s", time.Since(start).Round(time.Millisecond))
	return nil
}

func generateValues(ctx context.Context, db bun.IDB, o GenerateOptions, logf func(string, ...any)) error {
	els, err := EnteredElements(ctx, db)
	if err != nil {
		return err
	}
	last := MonthOf(o.Now).Prev()
	first := last.add(-(o.Months - 1))
	at := o.Now.UTC()
	t := 0
	for m := first; m.Compare(last) <= 0; m, t = m.Next(), t+1 {
		start := time.Now()
		var units []Unit
		if err := db.NewSelect().Model(&units).Column("id", "code").
			Where("u.valid_from <= ? AND u.valid_to > ?", m.Day(), m.Day()).Where("u.level = 3").Scan(ctx); err != nil {
			return fmt.Errorf("indicators.generateValues: %w", err)
		}
		for lo := 0; lo < len(units); lo += 1000 {
			batch := units[lo:min(lo+1000, len(units))]
			reps := make([]Report, len(batch))
			for i, u := range batch {
				reps[i] = Report{UnitID: u.ID, Period: m.String(), Status: StatusApproved, UpdatedAt: at, SubmittedAt: &at, ApprovedAt: &at}
			}
			if _, err := db.NewInsert().Model(&reps).Exec(ctx); err != nil {
				return fmt.Errorf("indicators.generateValues: %w", err)
			}
			rows := make([]valueRow, 0, len(reps)*len(els))
			for i, r := range reps {
				for _, e := range els {
					rows = append(rows, valueRow{ReportID: r.ID, ElementID: e.ID, Value: int64(math.Round(demoValue(batch[i].Code, e.Code, t)))})
				}
			}
			if _, err := db.NewInsert().Model(&rows).Exec(ctx); err != nil {
				return fmt.Errorf("indicators.generateValues: %w", err)
			}
		}
		logf("%s: %d reports in %s", m, len(units), time.Since(start).Round(time.Millisecond))
	}
	return nil
}

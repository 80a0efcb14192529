package indicators

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// The national-scale benchmarks run on a database filled by
//
//	portal indicators generate
//
// named by PORTAL_BENCH_DATABASE_URL (postgres://…) or PORTAL_BENCH_SQLITE
// (the data directory of an embedded database). See the README.

// BenchDB opens the benchmark database, or skips saying how to make one.
func benchDB(b *testing.B) *bun.DB {
	b.Helper()
	ctx := context.Background()
	if u := os.Getenv("PORTAL_BENCH_DATABASE_URL"); u != "" {
		db, err := database.Open(ctx, u, "")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	}
	if dir := os.Getenv("PORTAL_BENCH_SQLITE"); dir != "" {
		db, err := database.OpenSQLite(filepath.Join(dir, database.SQLiteFile))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	}
	b.Skip("\n*** SKIPPING: set PORTAL_BENCH_DATABASE_URL or PORTAL_BENCH_SQLITE to a database filled by `portal indicators generate` (see README) ***")
	return nil
}

// biggestProvince is the province with the most units below it today.
func biggestProvince(b *testing.B, db bun.IDB) *Unit {
	b.Helper()
	ctx := context.Background()
	day := Today(time.Now())
	var code string
	err := db.NewSelect().Model((*Unit)(nil)).ColumnExpr("u.parent_code").
		Where("u.valid_from <= ? AND u.valid_to > ?", day, day).Where("u.level = 3").
		Group("u.parent_code").OrderExpr("count(*) DESC").Limit(1).Scan(ctx, &code)
	if err != nil {
		b.Fatal(err)
	}
	u, err := UnitByCode(ctx, db, code, day)
	if err != nil {
		b.Fatal(err)
	}
	return u
}

// reportLatency adds the median and 95th percentile of ds to the result.
func reportLatency(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)/2]), "p50-ms")
	b.ReportMetric(ms(ds[min(len(ds)-1, len(ds)*95/100)]), "p95-ms")
}

// BenchmarkProvinceDashboard builds a province's dashboard: every
// indicator over 12 months and the comparison of its communes.
func BenchmarkProvinceDashboard(b *testing.B) {
	db := benchDB(b)
	prov := biggestProvince(b, db)
	ctx := context.Background()
	now := time.Now()
	from, to := DefaultRange(now)
	var ds []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		d, err := BuildDashboard(ctx, db, Query{Unit: prov.Code, From: from, To: to, Indicator: IndSmartphone}, now)
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Children) == 0 || d.Latest.IsZero() {
			b.Fatalf("dashboard of %s has no communes or no data", prov.Code)
		}
		ds = append(ds, time.Since(start))
	}
	reportLatency(b, ds)
}

// BenchmarkNationalRollup computes one indicator for the whole country over
// 48 months across the reorganisation, from the stored roll-ups.
func BenchmarkNationalRollup(b *testing.B) {
	db := benchDB(b)
	benchNational(b, db)
}

func benchNational(b *testing.B, db bun.IDB) {
	ctx := context.Background()
	now := time.Now()
	last := MonthOf(now).Prev()
	months := MonthRange(last.add(-47), last, 48)
	var ds []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		d, err := BuildDashboard(ctx, db, Query{Unit: "", From: months[0], To: last, Indicator: IndFibre}, now)
		if err != nil {
			b.Fatal(err)
		}
		if d.Focus == nil || !d.Focus.Trend[0].Has() || !d.Focus.Trend[47].Has() {
			b.Fatal("the national series has gaps")
		}
		ds = append(ds, time.Since(start))
	}
	reportLatency(b, ds)
}

// BenchmarkNationalRollupLive does the same national roll-up straight from
// the three million stored values, as happens for a hierarchy day that
// has no stored roll-ups, to show what the precomputation saves.
func BenchmarkNationalRollupLive(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	now := time.Now()
	last := MonthOf(now).Prev()
	var periods []string
	for _, m := range MonthRange(last.add(-47), last, 48) {
		periods = append(periods, m.String())
	}
	var ds []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		g, err := loadGraph(ctx, db, Today(now))
		if err != nil {
			b.Fatal(err)
		}
		c, err := compute(ctx, db, g, []int64{NationID}, periods)
		if err != nil {
			b.Fatal(err)
		}
		if c.Completeness(NationID, periods[0]).Approved == 0 {
			b.Fatal("no approved reports")
		}
		ds = append(ds, time.Since(start))
	}
	reportLatency(b, ds)
}

// BenchmarkProvinceDashboardBeforeReform builds the dashboard of the
// largest province of the day before the reorganisation (30 June 2025),
// on that day's hierarchy: twelve months up to June 2025 and its
// communes, read from the roll-ups stored for that hierarchy.
func BenchmarkProvinceDashboardBeforeReform(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	day := DayBefore(ReorgDay)
	var code string
	err := db.NewSelect().Model((*Unit)(nil)).ColumnExpr("u.parent_code").
		Where("u.valid_from <= ? AND u.valid_to > ?", day, day).Where("u.level = 3").
		Group("u.parent_code").OrderExpr("count(*) DESC").Limit(1).Scan(ctx, &code)
	if err != nil {
		b.Fatal(err)
	}
	// The district's province.
	d, err := UnitByCode(ctx, db, code, day)
	if err != nil {
		b.Fatal(err)
	}
	if d.Level == 2 {
		code = d.ParentCode
	}
	end, _ := time.Parse(time.DateOnly, ReorgDay)
	from, to := DefaultRange(end)
	now := time.Now()
	var ds []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		d, err := BuildDashboard(ctx, db, Query{Unit: code, Day: day, From: from, To: to, Indicator: IndSmartphone}, now)
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Children) == 0 || d.Latest.IsZero() {
			b.Fatalf("dashboard of %s on %s has no units below or no data", code, day)
		}
		ds = append(ds, time.Since(start))
	}
	reportLatency(b, ds)
}

// BenchmarkApproveMonth approves at once every report of a month of the
// largest province after the reorganisation, as a province official's
// "approve all" does, inside a transaction that is rolled back so that the
// benchmark database stays as generated.
func BenchmarkApproveMonth(b *testing.B) {
	db := benchDB(b)
	prov := biggestProvince(b, db)
	ctx := context.Background()
	period := MonthOf(time.Now()).Prev().String()
	var ds []time.Duration
	n := 0
	b.ResetTimer()
	for b.Loop() {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		var ids []int64
		if err := tx.NewRaw(`SELECT r.id FROM indicator_reports AS r JOIN org_units AS u ON u.id = r.unit_id
			WHERE r.period = ? AND u.path LIKE ?`, period, "/"+prov.Code+"/%").Scan(ctx, &ids); err != nil || len(ids) == 0 {
			b.Fatalf("reports of %s in %s: %d, %v", prov.Code, period, len(ids), err)
		}
		if _, err := tx.NewRaw("UPDATE indicator_reports SET status = 'submitted' WHERE id IN (?)", bun.List(ids)).Exec(ctx); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if n, err = ApproveAll(ctx, tx, accounts.SystemActor("bench"), ids); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
		if err := tx.Rollback(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "reports")
	reportLatency(b, ds)
}

// BenchmarkSubmitMonthFile submits a month of the largest province's
// communes from one file (CommitImport, as the import page's commit does),
// inside a transaction that is rolled back.
func BenchmarkSubmitMonthFile(b *testing.B) {
	db := benchDB(b)
	prov := biggestProvince(b, db)
	ctx := context.Background()
	now := time.Now()
	month := MonthOf(now) // the generator leaves this month empty
	kids, err := Subtree(ctx, db, prov, Today(now))
	if err != nil {
		b.Fatal(err)
	}
	els, err := EnteredElements(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	plan := &ImportPlan{}
	for i, u := range kids {
		if u.Level != 3 {
			continue
		}
		vals := Values{}
		for _, e := range els {
			vals[e.ID] = 100
		}
		plan.Rows = append(plan.Rows, ImportRow{Row: i + 2, UnitCode: u.Code, Period: month.String(), Values: vals})
	}
	var ds []time.Duration
	b.ResetTimer()
	for b.Loop() {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := CommitImport(ctx, tx, accounts.SystemActor("bench"), plan, true); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
		if err := tx.Rollback(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(plan.Rows)), "reports")
	reportLatency(b, ds)
}

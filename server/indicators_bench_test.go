package server

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/indicators"
)

// BenchmarkProvinceDashboardPage renders a province's public dashboard and
// one indicator's page (12 months, every commune compared) through the
// whole router, on the national data of `portal indicators generate` (see
// the README; PORTAL_BENCH_DATABASE_URL or PORTAL_BENCH_SQLITE).
func BenchmarkProvinceDashboardPage(b *testing.B) {
	var db *bun.DB
	var err error
	switch {
	case os.Getenv("PORTAL_BENCH_DATABASE_URL") != "":
		db, err = database.Open(context.Background(), os.Getenv("PORTAL_BENCH_DATABASE_URL"), "")
	case os.Getenv("PORTAL_BENCH_SQLITE") != "":
		db, err = database.OpenSQLite(filepath.Join(os.Getenv("PORTAL_BENCH_SQLITE"), database.SQLiteFile))
	default:
		b.Skip("\n*** SKIPPING: set PORTAL_BENCH_DATABASE_URL or PORTAL_BENCH_SQLITE to a database filled by `portal indicators generate` (see README) ***")
	}
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	day := indicators.Today(time.Now())
	var code string
	if err := db.NewSelect().TableExpr("org_units AS u").ColumnExpr("u.parent_code").
		Where("u.valid_from <= ? AND u.valid_to > ?", day, day).Where("u.level = 3").
		Group("u.parent_code").OrderExpr("count(*) DESC").Limit(1).Scan(ctx, &code); err != nil {
		b.Fatal(err)
	}
	ts := newTestServer(b, db)
	for _, page := range []string{"/vi/indicators?unit=" + code, "/en/indicators/SMARTPHONE?unit=" + code} {
		b.Run(page, func(b *testing.B) {
			var ds []time.Duration
			for b.Loop() {
				start := time.Now()
				res := ts.get(page)
				if res.StatusCode != 200 {
					b.Fatalf("%s: %d", page, res.StatusCode)
				}
				ds = append(ds, time.Since(start))
			}
			sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
			b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(ds[min(len(ds)-1, len(ds)*95/100)].Microseconds())/1000, "p95-ms")
		})
	}
}

package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// queueImport posts a unit file to the admin page, which must answer 303
// to the job's page, and returns that page's path.
func queueImport(t *testing.T, admin *testServer, lang string, fields url.Values, name string, data []byte) string {
	t.Helper()
	res := admin.postFile("/"+lang+"/admin/units/import", fields, "file", name, data).mustStatus(t, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, "/"+lang+"/admin/units/jobs/") {
		t.Fatalf("an import sent to %q, not to its job's page", loc)
	}
	return loc
}

// rollupSnapshot is every stored roll-up and completeness row, in order.
func rollupSnapshot(t *testing.T, db bun.IDB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT unit_id, period, element_id, approved, counted, approved_nc, counted_nc FROM indicator_rollups ORDER BY unit_id, period, element_id",
		"SELECT unit_id, period, expected, reported, approved FROM indicator_completeness ORDER BY unit_id, period",
	} {
		rows, err := db.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if f, ok := v.(float64); ok {
					fmt.Fprintf(&b, "%.6f ", f)
				} else {
					fmt.Fprintf(&b, "%v ", v)
				}
			}
			b.WriteByte('\n')
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

func jobStatus(t *testing.T, db bun.IDB, id int64) string {
	t.Helper()
	j, err := indicators.UnitJobByID(context.Background(), db, id)
	if err != nil {
		t.Fatal(err)
	}
	return j.Status
}

func jobID(t *testing.T, path string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(path[strings.LastIndex(path, "/")+1:], "%d", &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestUnitImportRunsAsJob: an import from the admin page is checked in the
// request and queued (303 to its page, which waits and reloads itself
// without JavaScript); the worker imports it, rebuilds the roll-ups as a
// synchronous rebuild would, and audits; the page then says what changed,
// in both languages, and stops reloading. Another role gets no page.
func TestUnitImportRunsAsJob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		// The demo's mapping taken away: the new units lose their
		// predecessors' figures until a mapping import brings them back.
		if _, err := db.NewDelete().Table("org_unit_successors").Where("1 = 1").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if err := indicators.RebuildRollups(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
		without := rollupSnapshot(t, db)
		ts := newTestServer(t, db)
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		mapping, _ := indicators.DemoFile("successors-2025-07-01.csv")
		page := queueImport(t, admin, "vi", url.Values{"kind": {"mapping"}, "day": {"2025-07-01"}}, "map.csv", mapping)
		vi := ts.srv.bundle.Localizer(i18n.VI)
		waiting := admin.get(page).mustStatus(t, 200)
		waiting.mustContain(t, `<meta http-equiv="refresh" content="3">`, vi.T("indicators.admin.units.job.status.queued"), "map.csv")
		if rollupSnapshot(t, db) != without {
			t.Fatal("the request imported the mapping itself")
		}

		if !ts.srv.indicators.runUnitJobOnce(ctx) {
			t.Fatal("the worker found no job")
		}
		if ts.srv.indicators.runUnitJobOnce(ctx) {
			t.Fatal("the worker ran a job twice")
		}
		after := rollupSnapshot(t, db)
		if after == without {
			t.Fatal("the job did not rebuild the roll-ups")
		}
		if err := indicators.RebuildRollups(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
		if rollupSnapshot(t, db) != after {
			t.Error("the job's roll-ups differ from a synchronous rebuild's")
		}
		n, err := db.NewSelect().Table("org_unit_successors").Count(ctx)
		if err != nil || n == 0 {
			t.Errorf("successor links after the job: %d, %v", n, err)
		}
		audits, err := db.NewSelect().Table("audit_log").Where("action = ?", "indicators.units_import").Count(ctx)
		if err != nil || audits != 1 {
			t.Errorf("audit entries of the import: %d, %v; want 1", audits, err)
		}
		j, err := indicators.UnitJobByID(ctx, db, jobID(t, page))
		if err != nil {
			t.Fatal(err)
		}
		res := j.Outcome()
		if j.Status != indicators.JobDone || res.Mappings.Replaced == 0 {
			t.Fatalf("job after the worker: %+v", j)
		}
		for _, lang := range i18n.Langs() {
			l := ts.srv.bundle.Localizer(lang)
			p := "/" + string(lang) + page[3:]
			done := admin.get(p).mustStatus(t, 200)
			done.mustContain(t, `<html lang="`+string(lang)+`"`, l.T("indicators.admin.units.job.status.done"),
				l.T("indicators.admin.units.mapping_result", "Replaced", res.Mappings.Replaced, "Unchanged", res.Mappings.Unchanged))
			if strings.Contains(done.Body, "http-equiv") {
				t.Errorf("%s: a finished job's page still reloads itself", lang)
			}
			admin.get("/"+string(lang)+"/admin/units/jobs/999999").mustStatus(t, http.StatusNotFound)
			admin.get("/"+string(lang)+"/admin/units/jobs/abc").mustStatus(t, http.StatusNotFound)
		}
		// Only those who import units see the jobs.
		province := ts.newVisitor()
		province.signInAs(accounts.RoleProvinceOfficial, "79")
		if res := province.get(page); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("a province official got %d for a job's page", res.StatusCode)
		}
		if res := ts.newVisitor().get(page); res.StatusCode == http.StatusOK {
			t.Error("an anonymous visitor got a job's page")
		}

		// A unit list: the page gives the same sentence the import page
		// gave when it imported in the request.
		list := csvFile(unitHeader, "Tỉnh Thử Nghiệm,98,Huyện Thử,981,Xã Mới,26999,Xã,New Commune")
		page = queueImport(t, admin, "en", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "units.csv", list)
		ts.srv.indicators.runUnitJobOnce(ctx)
		en := ts.srv.bundle.Localizer(i18n.EN)
		admin.get(page).mustStatus(t, 200).mustContain(t, en.T("indicators.admin.units.result", "Created", 3, "Changed", 0, "Unchanged", 0, "Closed", 0))
		// A list naming province 77 from 2020 with one new ward would end
		// the province's other 89 units of the demo on the day they began,
		// under their reports of 2024 and 2025: the job fails and names
		// them, the units left out without a row of the list.
		list = csvFile(unitHeader, "Tỉnh Bà Rịa - Vũng Tàu,77,Thành phố Vũng Tàu,747,Phường Mới,26998,Phường,New Ward")
		page = queueImport(t, admin, "en", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "units.csv", list)
		ts.srv.indicators.runUnitJobOnce(ctx)
		failed := admin.get(page).mustStatus(t, 200)
		failed.mustContain(t, en.T(indicators.JobErrorProblems), `<td class="num">–</td><td>Mã PX</td><td>26506</td>`, en.T("indicators.import.error.unit_has_reports", "Ref", "2024-01"))
	})
}

// TestUnitJobFailsInWords: a job that cannot be imported says so in words
// on its page (rows naming units that do not exist, listed; anything else
// a general sentence), never the raw error, and changes nothing.
func TestUnitJobFailsInWords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		before := tableCounts(t, db)
		page := queueImport(t, admin, "vi", url.Values{"kind": {"mapping"}, "day": {"2025-07-01"}}, "map.csv",
			csvFile("Mã cũ,Mã mới,Loại,Tỷ lệ", "11111,22222,toàn bộ,"))
		ts.srv.indicators.runUnitJobOnce(ctx)
		vi := ts.srv.bundle.Localizer(i18n.VI)
		admin.get(page).mustStatus(t, 200).mustContain(t, vi.T("indicators.admin.units.job.status.failed"),
			vi.T("indicators.admin.units.job.error.problems"), `id="problems"`, "11111")
		if after := tableCounts(t, db); after != before {
			t.Errorf("a failed job changed the database: before %v, after %v", before, after)
		}

		// Rows that cannot be read back: the general sentence.
		page = queueImport(t, admin, "en", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "units.csv",
			csvFile(unitHeader, "Tỉnh Bà Rịa - Vũng Tàu,77,Thành phố Vũng Tàu,747,Phường Mới,26999,Phường,"))
		if _, err := db.NewUpdate().Table("indicator_jobs").Set("data = ?", "{not json").Where("id = ?", jobID(t, page)).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		ts.srv.indicators.runUnitJobOnce(ctx)
		en := ts.srv.bundle.Localizer(i18n.EN)
		res := admin.get(page).mustStatus(t, 200)
		res.mustContain(t, en.T("indicators.admin.units.job.error.failed"))
		if strings.Contains(res.Body, "json") || strings.Contains(res.Body, "invalid character") {
			t.Error("the page shows the raw error")
		}
		if after := tableCounts(t, db); after != before {
			t.Errorf("a failed job changed the database: before %v, after %v", before, after)
		}
	})
}

// TestUnitJobClaimedOnce: two workers of one database (two instances)
// claiming at once: one gets the job, the other nothing, and the job is
// imported once.
func TestUnitJobClaimedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		p := &indicators.ParsedUnitFile{Kind: indicators.UnitList, Day: "2020-01-01",
			// A new province: one naming province 77 alone would end its
			// units on the day they began, under their reports.
			Units: []indicators.ListUnit{{Code: "98", Name: "Tỉnh Thử Nghiệm", Kind: indicators.KindProvince, Row: 2}}}
		id, err := indicators.QueueUnitJob(ctx, db, accounts.SystemActor("test"), p, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		const workers = 4
		got := make(chan *indicators.UnitJob, workers)
		start := make(chan struct{})
		for range workers {
			go func() {
				<-start
				j, err := indicators.ClaimUnitJob(ctx, db, time.Now())
				if err != nil {
					t.Error(err)
				}
				got <- j
			}()
		}
		close(start)
		claimed := 0
		for range workers {
			if j := <-got; j != nil {
				claimed++
				if j.ID != id || j.Status != indicators.JobRunning {
					t.Errorf("claimed %+v", j)
				}
			}
		}
		if claimed != 1 {
			t.Errorf("%d workers claimed the job; want 1", claimed)
		}
		if s := jobStatus(t, db, id); s != indicators.JobRunning {
			t.Errorf("job %s after the claim", s)
		}
	})
}

// TestCrashedUnitJobRequeued: a job left running by a process that
// stopped goes back to the queue when a worker starts, and is then run;
// a job still running elsewhere (holding the import lock, on PostgreSQL)
// is left alone until it is older than a job may run.
func TestCrashedUnitJobRequeued(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		p := &indicators.ParsedUnitFile{Kind: indicators.UnitList, Day: "2020-01-01",
			// A new province: one naming province 77 alone would end its
			// units on the day they began, under their reports.
			Units: []indicators.ListUnit{{Code: "98", Name: "Tỉnh Thử Nghiệm", Kind: indicators.KindProvince, Row: 2}}}
		id, err := indicators.QueueUnitJob(ctx, db, accounts.SystemActor("test"), p, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if j, err := indicators.ClaimUnitJob(ctx, db, time.Now()); err != nil || j == nil {
			t.Fatalf("claim: %v %v", j, err)
		}
		// The process stops here. Later ones find nothing queued...
		if ts.srv.indicators.runUnitJobOnce(ctx) {
			t.Fatal("a worker ran a job another one had claimed")
		}
		if database.IsPostgres(db) {
			// ...and while another instance holds the import lock, the
			// job may be its: it stays running.
			held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
			go func() {
				done <- database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
					if err := database.LockTx(ctx, tx, "indicators.rollups", false); err != nil {
						return err
					}
					close(held)
					<-release
					return nil
				})
			}()
			<-held
			n, err := indicators.RequeueRunningJobs(ctx, db, time.Now(), true)
			close(release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if err != nil || n != 0 || jobStatus(t, db, id) != indicators.JobRunning {
				t.Fatalf("a job perhaps running elsewhere was put back: %d %v", n, err)
			}
			// Once older than a job may run, it is put back anyway.
			if n, err := indicators.RequeueRunningJobs(ctx, db, time.Now().Add(indicators.UnitJobTimeout+2*time.Minute), false); err != nil || n != 1 {
				t.Fatalf("a stale job was not put back: %d %v", n, err)
			}
		} else {
			// A start puts it back.
			if n, err := indicators.RequeueRunningJobs(ctx, db, time.Now(), true); err != nil || n != 1 {
				t.Fatalf("requeued %d, %v; want 1", n, err)
			}
		}
		if s := jobStatus(t, db, id); s != indicators.JobQueued {
			t.Fatalf("job %s; want queued", s)
		}
		if !ts.srv.indicators.runUnitJobOnce(ctx) {
			t.Fatal("the requeued job was not run")
		}
		if s := jobStatus(t, db, id); s != indicators.JobDone {
			t.Errorf("job %s; want done", s)
		}
	})
}

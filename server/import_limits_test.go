package server

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
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
)

// TestBusyImportIsWorded imports a unit list while another import holds
// the roll-ups' lock (on PostgreSQL the advisory lock, as another
// instance would; on SQLite the write lock): after the wait the page says
// in words that other work is running and nothing was saved, with a 503
// and Retry-After, and logs no error. On PostgreSQL the file is queued
// and its job, run while the lock is held, says so on the job's page.
// Vietnamese on SQLite, English on PostgreSQL: each wait is five seconds.
func TestBusyImportIsWorded(t *testing.T) {
	lang := map[string]i18n.Lang{"sqlite": i18n.VI, "postgres": i18n.EN}
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		seedIndicators(t, db)
		var log bytes.Buffer
		ts := newTestServer(t, db, logAlsoTo(t, &log))
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		before := tableCounts(t, db)

		held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- database.InTx(context.Background(), db, func(ctx context.Context, tx bun.Tx) error {
				if err := database.LockTx(ctx, tx, "indicators.rollups", false); err != nil {
					return err
				}
				if _, err := tx.NewRaw("UPDATE org_units SET name = name WHERE id = -1").Exec(ctx); err != nil {
					return err
				}
				close(held)
				<-release
				return nil
			})
		}()
		<-held
		l := ts.srv.bundle.Localizer(lang[dbName(db)])
		res := admin.postFile("/"+string(l.Lang)+"/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "file", "units.csv",
			csvFile(unitHeader, "Tỉnh Bà Rịa - Vũng Tàu,77,Thành phố Vũng Tàu,747,Phường 1,26506,Phường,"))
		if database.IsPostgres(db) {
			// The advisory lock leaves the job's row free: the file is
			// queued, and the worker, which waits for the lock, says the
			// job could not run for other work, to be tried again.
			page := res.mustStatus(t, http.StatusSeeOther).Header.Get("Location")
			ts.srv.indicators.runUnitJobOnce(context.Background())
			close(release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			admin.get(page).mustStatus(t, http.StatusOK).mustContain(t, l.T("indicators.admin.units.job.status.failed"), l.T("indicators.admin.units.job.error.busy"))
		} else {
			// SQLite's write lock keeps the job from being queued.
			close(release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			res.mustStatus(t, http.StatusServiceUnavailable).mustContain(t, l.T("error.503.busy"))
			if res.Header.Get("Retry-After") == "" {
				t.Error("a busy answer without Retry-After")
			}
		}
		if after := tableCounts(t, db); after != before {
			t.Errorf("a refused import changed the database: before %v, after %v", before, after)
		}
		if strings.Contains(log.String(), "level=ERROR") {
			t.Errorf("a busy import logged an error:\n%s", log.String())
		}
	})
}

func dbName(db *bun.DB) string {
	if database.IsPostgres(db) {
		return "postgres"
	}
	return "sqlite"
}

// TestImportOutOfTime gives requests a time too short for an import: the
// answer is a worded 503 in the page's language, not a dropped connection
// or a 500, and nothing is written.
func TestImportOutOfTime(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	// Signing in takes longer than the time given (the password hash), so
	// the admin signs in on a second instance, sharing the database and so
	// the session, that gives requests the usual time.
	ts := newTestServer(t, db, func(d *Deps) { d.Config.RequestTimeout = 50 * time.Millisecond })
	other := newTestServer(t, db)
	admin := other.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	admin.http = ts.http
	var list bytes.Buffer
	list.WriteString(unitHeader + "\n")
	for i := range 40000 {
		fmt.Fprintf(&list, "Tỉnh Thử,01,,,Xã Thử %d,%05d,Xã,\n", i, 40000+i)
	}
	before := tableCounts(t, db)
	for _, lang := range i18n.Langs() {
		l := ts.srv.bundle.Localizer(lang)
		res := admin.postFile("/"+string(lang)+"/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "file", "units.csv", list.Bytes()).
			mustStatus(t, http.StatusServiceUnavailable).mustContain(t, `<html lang="`+string(lang)+`"`, l.T("error.503.timeout"))
		// The session, touched by every request, cannot be saved either
		// once the time is out: that is said once, not by a second page
		// written after the first.
		if n := strings.Count(res.Body, "<html"); n != 1 {
			t.Errorf("%s: the answer holds %d pages", lang, n)
		}
	}
	if after := tableCounts(t, db); after != before {
		t.Errorf("an import out of time changed the database: before %v, after %v", before, after)
	}
}

// TestMultipartOnlyWhereFilesAre: a multipart body goes only to the import
// routes, and there only as multipart/form-data; elsewhere, or as another
// kind of multipart, it is a 415 in words, and its fields (here a NUL in
// the sign-in e-mail, which the check of plain forms refuses) reach no
// handler.
func TestMultipartOnlyWhereFilesAre(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	send := func(who *testServer, method, path, mediaType string) *response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("email", "a\x00@example.test")
		mw.WriteField("password", testPassword)
		mw.WriteField("kind", "units")
		mw.WriteField("day", "2020-01-01")
		fw, _ := mw.CreateFormFile("file", "units.csv")
		fw.Write(csvFile(unitHeader))
		mw.Close()
		req, err := http.NewRequest(method, ts.http.URL+path, &body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", mediaType+"; boundary="+mw.Boundary())
		req.Header.Set("Origin", ts.http.URL)
		return who.do(req)
	}
	for _, lang := range i18n.Langs() {
		l := ts.srv.bundle.Localizer(lang)
		prefix := "/" + string(lang)
		for _, c := range []struct {
			who        *testServer
			path, kind string
		}{
			{ts, prefix + "/login", "multipart/form-data"},
			{ts, prefix + "/signup", "multipart/form-data"},
			{admin, prefix + "/admin/units/import", "multipart/mixed"},
			{admin, prefix + "/admin/units/import", "multipart/related"},
		} {
			send(c.who, http.MethodPost, c.path, c.kind).mustStatus(t, http.StatusUnsupportedMediaType).
				mustContain(t, `<html lang="`+string(lang)+`"`, l.T("error.415.title"), l.T("error.415.body"))
		}
	}
	// The API says it in JSON.
	res := send(ts, http.MethodGet, "/api/v1/units", "multipart/form-data").mustStatus(t, http.StatusUnsupportedMediaType)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("API 415 as %s: %s", res.Header.Get("Content-Type"), res.Body)
	}
}

// TestOneUnitImportAtATime: two unit lists read at once each held their
// own copy (two 24 MB lists took the server up 172 MiB, past what one
// upload may cost). While one import runs on an instance, another waits
// for it, then is told in words that the portal is busy.
func TestOneUnitImportAtATime(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	before := tableCounts(t, db)
	ts.srv.indicators.unitImport <- struct{}{} // an import is running
	res := admin.postFile("/vi/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "file", "units.csv",
		csvFile(unitHeader, "Tỉnh Bà Rịa - Vũng Tàu,77,Thành phố Vũng Tàu,747,Phường 1,26506,Phường,"))
	res.mustStatus(t, http.StatusServiceUnavailable).mustContain(t, ts.srv.bundle.Localizer(i18n.VI).T("error.503.busy"))
	if after := tableCounts(t, db); after != before {
		t.Errorf("an import refused as busy changed the database: before %v, after %v", before, after)
	}
	<-ts.srv.indicators.unitImport // it ends
	admin.postFile("/vi/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "file", "units.csv",
		csvFile(unitHeader, "Tỉnh Bà Rịa - Vũng Tàu,77,Thành phố Vũng Tàu,747,Phường 1,26506,Phường,")).mustStatus(t, http.StatusSeeOther)
}

// TestUnreadableMediaType: a form whose Content-Type cannot be parsed (a
// parameter twice, a type without its subtype) made r.ParseForm fail in
// the sign-in handler: 500 and an error logged, for anyone, signed in or
// not. It is a 415 in words, logged as no error.
func TestUnreadableMediaType(t *testing.T) {
	db := dbtest.SQLite(t)
	var log bytes.Buffer
	ts := newTestServer(t, db, logAlsoTo(t, &log))
	for _, lang := range i18n.Langs() {
		l := ts.srv.bundle.Localizer(lang)
		for _, ct := range []string{
			"application/x-www-form-urlencoded; a=1; a=2",
			"multipart/form-data; boundary=x; boundary=y",
			"multipart/",
			"text/",
		} {
			req, err := http.NewRequest(http.MethodPost, ts.http.URL+"/"+string(lang)+"/login", strings.NewReader("email=a%40b.test&password=x"))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Origin", ts.http.URL)
			ts.do(req).mustStatus(t, http.StatusUnsupportedMediaType).
				mustContain(t, `<html lang="`+string(lang)+`"`, l.T("error.415.body"))
		}
	}
	if strings.Contains(log.String(), "level=ERROR") {
		t.Errorf("an unreadable Content-Type logged an error:\n%s", log.String())
	}
}

// TestProblemCellsShortened: a problem shows the start of its cell, not a
// cell of thousands of characters.
func TestProblemCellsShortened(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	long := strings.Repeat("9", 5000)
	res := admin.postFile("/vi/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "file", "units.csv",
		csvFile(unitHeader, "Tỉnh Bà Rịa - Vũng Tàu,77,,,Xã Dài,"+long+",Xã,")).mustStatus(t, http.StatusUnprocessableEntity)
	res.mustContain(t, "<td>"+long[:problemCell-1]+"…</td>")
	if strings.Contains(res.Body, long[:problemCell]) {
		t.Error("the problem table shows more of the cell than its start")
	}
}

// TestUnknownAssetIsAPage: an asset name that is none gets the portal's
// 404 page in the visitor's language, not a line of plain text.
func TestUnknownAssetIsAPage(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	for _, lang := range i18n.Langs() {
		l := ts.srv.bundle.Localizer(lang)
		res := ts.get("/static/app.00000000.css", "Accept-Language", string(lang)).mustStatus(t, http.StatusNotFound)
		res.mustContain(t, `<html lang="`+string(lang)+`"`, l.T("error.404.body"))
	}
}

// TestUnitImportDryRun: the admin page's dry run says what an import would
// change, in the page's language, and changes nothing.
func TestUnitImportDryRun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		before := tableCounts(t, db)
		for _, lang := range i18n.Langs() {
			l := ts.srv.bundle.Localizer(lang)
			res := admin.postFile("/"+string(lang)+"/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}, "dry_run": {"yes"}}, "file", "units.csv",
				csvFile(unitHeader, "Tỉnh Bà Rịa - Vũng Tàu,77,Thành phố Vũng Tàu,747,Phường 1,26506,Phường,"))
			res.mustStatus(t, http.StatusOK).mustContain(t, l.T("indicators.admin.units.would", "Created", 3, "Changed", 0, "Unchanged", 0, "Closed", 0), `id="dry_run" name="dry_run" value="yes" checked`)
		}
		if after := tableCounts(t, db); after != before {
			t.Errorf("a dry run changed the database: before %v, after %v", before, after)
		}
	})
}

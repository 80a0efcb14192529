package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// wideXLSX is the file of issue 11: a heading row, then rows that each
// hold one cell in the last column Excel has (XFD).
func wideXLSX(t *testing.T, rows int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"Mã đơn vị", "Tên đơn vị", "Kỳ", indicators.ElemHouseholds}); err != nil {
		t.Fatal(err)
	}
	for r := 2; r <= rows+1; r++ {
		if err := sw.SetRow(fmt.Sprintf("XFD%d", r), []any{"x"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportPagesRefuseFilesPastTheBounds posts issue 11's two files to
// both import pages, in each language: each page answers 400 and says on
// the file field which bound the file passed and what to do, and nothing
// is imported.
func TestImportPagesRefuseFilesPastTheBounds(t *testing.T) {
	db := dbtest.SQLite(t)
	if err := indicators.SeedDefinitions(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, db)
	commune := ts.newVisitor()
	commune.signInAs(accounts.RoleCommuneOfficial, "26536")
	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	files := []struct {
		name string
		data []byte
	}{
		{"wide.xlsx", wideXLSX(t, 200)},
		{"commas.csv", []byte("Mã đơn vị,Kỳ," + indicators.ElemHouseholds + "\n" + strings.Repeat(",", 1_000_000) + "\n")},
	}
	for _, lang := range []string{"vi", "en"} {
		l := ts.srv.bundle.Localizer(i18n.Lang(lang))
		want := `id="file-error">` + l.T("indicators.import.error.limit_columns", "Limit", l.Int(64), "Row", l.Int(2)) + "<"
		for _, f := range files {
			commune.postFile("/"+lang+"/reports/import", url.Values{"submit": {"yes"}}, "file", f.name, f.data).
				mustStatus(t, http.StatusBadRequest).mustContain(t, want)
			for _, kind := range []string{"units", "mapping"} {
				admin.postFile("/"+lang+"/admin/units/import", url.Values{"kind": {kind}, "day": {"2025-07-01"}}, "file", f.name, f.data).
					mustStatus(t, http.StatusBadRequest).mustContain(t, want)
			}
		}
	}
	if n, err := db.NewSelect().Model((*indicators.Unit)(nil)).Count(context.Background()); err != nil || n != 0 {
		t.Errorf("units after refused imports: %d, %v; want none", n, err)
	}
}

// TestImportPagesReadTheWholeForm checks the upload path of both import
// pages: the file, its name and the other fields all arrive, problems are
// listed row by row, a form without a file is asked for one, and a form
// no browser sends is refused.
func TestImportPagesReadTheWholeForm(t *testing.T) {
	db := dbtest.SQLite(t)
	ctx := context.Background()
	if err := indicators.SeedDefinitions(ctx, db); err != nil {
		t.Fatal(err)
	}
	list, _ := indicators.DemoFile("ho-chi-minh-2025-07-01.csv")
	units, _, err := indicators.ParseUnitList(t.Context(), list)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := indicators.ImportUnits(ctx, db, units, indicators.ReorgDay, "test", true); err != nil {
		t.Fatal(err)
	}
	els, err := indicators.EnteredElements(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, db)
	commune := ts.newVisitor()
	commune.signInAs(accounts.RoleCommuneOfficial, "26536")
	l := ts.srv.bundle.Localizer(i18n.EN)
	head, row := "Mã đơn vị,Kỳ", "26536,"+indicators.DueMonth(time.Now()).String()
	for i, e := range els {
		head += "," + e.Code
		row += fmt.Sprintf(",%d", []int{1000, 800, 2700, 2200, 2000, 900, 1800, 2100, 1300}[i])
	}
	file := []byte(head + "\n" + row + "\n")
	commune.postFile("/en/reports/import", url.Values{"submit": {"yes"}}, "file", "month.csv", file).
		mustStatus(t, http.StatusOK).
		mustContain(t, l.T("indicators.import.result", "Name", "month.csv"), `name="token"`, l.T("indicators.import.commit_submit"))
	bad := []byte(head + "\n" + strings.Replace(row, ",1000,", ",-1,", 1) + "\n")
	commune.postFile("/en/reports/import", nil, "file", "bad.csv", bad).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, l.T("indicators.entry.error.negative", "Name", els[0].Code))
	commune.postFile("/en/reports/import", nil, "file", "", nil).
		mustStatus(t, http.StatusBadRequest).mustContain(t, `id="file-error">`+l.T("indicators.import.error.nofile")+"<")
	many := url.Values{}
	for i := range maxUploadParts {
		many.Set(fmt.Sprintf("f%d", i), "x")
	}
	commune.postFile("/en/reports/import", many, "file", "month.csv", file).mustStatus(t, http.StatusBadRequest)
	long := url.Values{"submit": {strings.Repeat("x", maxUploadFieldBytes+1)}}
	commune.postFile("/en/reports/import", long, "file", "month.csv", file).mustStatus(t, http.StatusBadRequest)

	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	admin.postFile("/en/admin/units/import", url.Values{"kind": {"units"}, "day": {"2026-01-01"}}, "file", "list.csv", []byte("Tỉnh Thành Phố,Mã TP\nTỉnh A,7\n")).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, l.T("indicators.import.error.code"))
	admin.postFile("/en/admin/units/import", url.Values{"kind": {"units"}, "day": {"2026-01-01"}}, "file", "", nil).
		mustStatus(t, http.StatusBadRequest).mustContain(t, `id="file-error">`+l.T("indicators.import.error.nofile")+"<")
}

// TestImportKeepsRowsNotTheFile checks a dry run of a valid file padded
// with two megabytes of notes, on both databases: what is kept for the
// commit is the one row of figures, not the file (the drivers write a blob
// into the query as hexadecimal text, and a 32 MiB file cost hundreds of
// megabytes), and the commit writes that row once however many times it
// is sent at once.
func TestImportKeepsRowsNotTheFile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		commune := ts.newVisitor()
		commune.signInAs(accounts.RoleCommuneOfficial, "26536")
		els, err := indicators.EnteredElements(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		month := indicators.Month(2023, 12) // before the demo figures begin
		head, row := "Mã đơn vị,Kỳ,Ghi chú", "26536,"+month.String()+","
		for i, e := range els {
			head += "," + e.Code
			row += fmt.Sprintf(",%d", []int{1000, 800, 2700, 2200, 2000, 900, 1800, 2100, 1300}[i])
		}
		notes := strings.Repeat(","+",ghi chú "+strings.Repeat("x", 1000)+"\n", 2000)
		file := []byte(head + "\n" + row + "\n" + notes)
		res := commune.postFile("/vi/reports/import", nil, "file", "month.csv", file).mustStatus(t, http.StatusOK)
		token := tokenOf(t, res.Body)
		var kept int
		if err := db.NewRaw("SELECT length(data) FROM indicator_uploads WHERE token = ?", token).Scan(ctx, &kept); err != nil {
			t.Fatal(err)
		}
		if kept == 0 || kept > 1000 {
			t.Errorf("kept %d bytes for one row of a %d-byte file, want the row alone", kept, len(file))
		}

		const clicks = 4
		codes := make(chan int, clicks)
		start := make(chan struct{})
		for range clicks {
			go func() {
				<-start
				codes <- commune.post("/vi/reports/import/commit", url.Values{"token": {token}}).StatusCode
			}()
		}
		close(start)
		got := map[int]int{}
		for range clicks {
			got[<-codes]++
		}
		if got[http.StatusOK] != 1 || got[http.StatusGone] != clicks-1 {
			t.Errorf("statuses of %d commits at once: %v, want one 200 and the rest 410", clicks, got)
		}
		var audited int
		if err := db.NewRaw("SELECT count(*) FROM audit_log WHERE action = 'indicators.status' AND object_id = ?", "26536/"+month.String()).Scan(ctx, &audited); err != nil {
			t.Fatal(err)
		}
		if rep := reportOf(t, db, "26536", month); rep.Status != indicators.StatusDraft || audited != 1 {
			t.Errorf("after the commits: status %s, %d audited changes; want draft, 1", rep.Status, audited)
		}
	})
}

// tokenOf returns the upload token a dry run's page carries.
func tokenOf(t *testing.T, body string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `name="token" value="`)
	token, _, ok2 := strings.Cut(rest, `"`)
	if !ok || !ok2 || token == "" {
		t.Fatalf("the page carries no upload token:\n%.600s", body)
	}
	return token
}

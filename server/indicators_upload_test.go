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
	units, _, err := indicators.ParseUnitList(list)
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

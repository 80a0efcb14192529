package server

import (
	encsv "encoding/csv"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// TestLessonsStatsExports: the lesson usage page offers each table as CSV
// and both as a workbook, for the month shown; the CSV of each table holds
// the table's rows (codes and months as quoted text), the workbook a sheet
// saying what it is and one sheet per table with the same rows.
func TestLessonsStatsExports(t *testing.T) {
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	units := demoUnits(t, db)
	ts := newTestServer(t, db)
	official := ts.newVisitor()
	official.signInAs(accounts.RoleCommuneOfficial, units[accounts.RoleCommuneOfficial])
	page := official.get("/vi/reports/lessons").mustStatus(t, http.StatusOK).Body
	month := regexp.MustCompile(`aria-current="true">(\d{4}-\d\d)<`).FindStringSubmatch(page)
	if month == nil {
		t.Fatal("no month shown")
	}
	links := regexp.MustCompile(`<a href="([^"]*format=(?:csv|xlsx)[^"]*)">`).FindAllStringSubmatch(page, -1)
	if len(links) != 3 {
		t.Fatalf("%d download links, want 3", len(links))
	}
	var csvRows [][][]string
	for _, l := range links[:2] {
		u := html.UnescapeString(l[1])
		if !strings.Contains(u, "month="+month[1]) {
			t.Errorf("link %s drops the month", u)
		}
		res := official.get(u).mustStatus(t, http.StatusOK)
		if !strings.Contains(res.Body, `"`+month[1]+`"`) && strings.Contains(u, "table=months") {
			t.Errorf("months are not quoted text:\n%s", res.Body)
		}
		recs, err := encsv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		csvRows = append(csvRows, recs)
	}
	if len(csvRows[0]) != 13 {
		t.Errorf("by month: %d rows, want a header and 12 months", len(csvRows[0]))
	}
	res := official.get(html.UnescapeString(links[2][1])).mustStatus(t, http.StatusOK)
	x, err := excelize.OpenReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) != 3 || sheets[0] != "Giới thiệu" {
		t.Fatalf("sheets %q", sheets)
	}
	for i, s := range sheets[1:] {
		rows, _ := x.GetRows(s, excelize.Options{RawCellValue: true})
		if flat(rows) != flat(csvRows[i]) {
			t.Errorf("sheet %s:\n%s\nCSV:\n%s", s, flat(rows), flat(csvRows[i]))
		}
	}
	official.get("/vi/reports/lessons?format=pdf").mustStatus(t, http.StatusBadRequest)
	official.get("/vi/reports/lessons?format=csv&table=nope").mustStatus(t, http.StatusBadRequest)
}

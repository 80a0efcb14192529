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

// TestImportPagesReportBadFiles sends files with bad rows, bad types,
// wrong headers and no content to every import page, in both languages,
// on both databases: each answers with its report or a localized message
// on the file field, never a 500, and changes nothing.
func TestImportPagesReportBadFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		commune := ts.newVisitor()
		commune.signInAs(accounts.RoleCommuneOfficial, "26536")
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		// Before the demo figures begin, so that no report is locked.
		month := "2023-12"
		for _, lang := range i18n.Langs() {
			l := ts.srv.bundle.Localizer(lang)
			prefix := "/" + string(lang)
			problems := func(n int) string { return l.N("indicators.import.problems", n) }
			unreadable := l.T("indicators.import.error.unreadable")
			empty := func(name string) string { return l.T("indicators.import.error.empty_file", "Name", name) }
			whole := l.T("indicators.entry.error.whole", "Name", "HH_TOTAL", "Row", 2)
			negative := l.T("indicators.entry.error.negative", "Name", "HH_FIBRE", "Row", 2)
			noRows := l.T("indicators.import.error.no_rows")
			dayRange := l.T("indicators.admin.units.error.day_range", "First", "1976", "Last", "2099")

			cases := []struct {
				name, path string
				fields     url.Values
				file       string
				data       []byte
				status     int
				want       []string
			}{
				{"values: a word for a number", "/reports/import", nil, "bad.csv",
					csvFile("Mã đơn vị,Kỳ,HH_TOTAL,HH_FIBRE", "26536,"+month+",abc,5"),
					http.StatusUnprocessableEntity, []string{problems(1), `<td class="num">2</td>`, "abc", whole}},
				{"values: a negative number", "/reports/import", nil, "neg.csv",
					csvFile("Mã đơn vị,Kỳ,HH_TOTAL,HH_FIBRE", "26536,"+month+",10,-5"),
					http.StatusUnprocessableEntity, []string{problems(1), "-5", negative}},
				{"values: a month Excel made a date", "/reports/import", nil, "date.xlsx",
					xlsxWithDatePeriod(t),
					http.StatusUnprocessableEntity, []string{problems(1), l.T("indicators.import.error.period", "Row", 2)}},
				{"values: three bad rows of many", "/reports/import", nil, "many.csv",
					manyRows(month, 40, 7, 23, 38),
					http.StatusUnprocessableEntity, []string{problems(3), `<td class="num">7</td>`, `<td class="num">23</td>`, `<td class="num">38</td>`}},
				{"values: wrong headers", "/reports/import", nil, "head.csv",
					csvFile("Tên,Số", "a,1"),
					http.StatusUnprocessableEntity, []string{problems(1), l.T("indicators.import.error.header_values")}},
				{"values: empty file", "/reports/import", nil, "empty.csv", nil,
					http.StatusBadRequest, []string{empty("empty.csv"), `href="#file"`}},
				{"values: only a byte order mark", "/reports/import", nil, "bom.csv", []byte("\ufeff"),
					http.StatusBadRequest, []string{unreadable, `href="#file"`}},
				{"values: not a table", "/reports/import", nil, "x.csv", []byte("\xff\xfe\x00binary"),
					http.StatusBadRequest, []string{unreadable}},
				{"values: a NUL in a unit code", "/reports/import", nil, "nul.csv",
					csvFile("Mã đơn vị,Kỳ,HH_TOTAL,HH_FIBRE", "265\x0036,"+month+",10,5"),
					http.StatusBadRequest, []string{`id="file-error">` + l.N("indicators.import.error.characters", 1, "Cell", "A2") + "<"}},
				{"units: an escape code in a name, a NUL in another", "/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "units.csv",
					csvFile(unitHeader, "Tỉnh Bà Rịa - Vũng Tàu,77,Thành phố Vũng Tàu,747,Phường \x1b[2J1,26506,Phường,Ward\x00 1"),
					http.StatusBadRequest, []string{`id="file-error">` + l.N("indicators.import.error.characters", 2, "Cell", "E2") + "<"}},
				{"mapping: a NUL in a code", "/admin/units/import", url.Values{"kind": {"mapping"}, "day": {"2025-07-01"}}, "map.csv",
					csvFile("Mã cũ,Mã mới,Loại,Tỷ lệ", "26506,26\x00506,toàn bộ,"),
					http.StatusBadRequest, []string{`id="file-error">` + l.N("indicators.import.error.characters", 1, "Cell", "B2") + "<"}},
				{"units: a bad code", "/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "units.csv",
					csvFile(unitHeader, "Tỉnh Bà Rịa - Vũng Tàu,77,Thành phố Vũng Tàu,747,Phường 1,abc,Phường,"),
					http.StatusUnprocessableEntity, []string{problems(1), "abc"}},
				{"units: wrong headers", "/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "units.csv",
					csvFile("Tên,Số", "a,1"),
					http.StatusUnprocessableEntity, []string{problems(1)}},
				{"units: empty file", "/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "units.csv", nil,
					http.StatusBadRequest, []string{empty("units.csv"), `href="#file"`}},
				{"mapping: a bad share", "/admin/units/import", url.Values{"kind": {"mapping"}, "day": {"2025-07-01"}}, "map.csv",
					csvFile("Mã cũ,Mã mới,Loại,Tỷ lệ", "26506,26506,một phần,abc"),
					http.StatusUnprocessableEntity, []string{problems(1), "abc"}},
				{"units: a list dated before its units' reports", "/admin/units/import", url.Values{"kind": {"units"}, "day": {"2025-01-01"}, "dry_run": {"yes"}}, "units.csv",
					csvFile(unitHeader, "Thành phố Hồ Chí Minh,79,,,Phường Vũng Tàu,26506,Phường,"),
					http.StatusUnprocessableEntity, []string{problems(1), "26506", l.T("indicators.import.error.unit_has_reports", "Ref", "2025-01")}},
				{"mapping: the same pair twice", "/admin/units/import", url.Values{"kind": {"mapping"}, "day": {"2025-07-01"}}, "map.csv",
					csvFile("Mã cũ,Mã mới,Loại,Tỷ lệ", "26508,26506,một phần,", "26508,26506,một phần,"),
					http.StatusUnprocessableEntity, []string{problems(1), l.T("indicators.import.error.mapping_duplicate", "Other", 2)}},
				{"mapping: whole and split", "/admin/units/import", url.Values{"kind": {"mapping"}, "day": {"2025-07-01"}}, "map.csv",
					csvFile("Mã cũ,Mã mới,Loại,Tỷ lệ", "26508,26506,toàn bộ,", "26508,26521,một phần,"),
					http.StatusUnprocessableEntity, []string{problems(1), l.T("indicators.import.error.mapping_full_more", "Other", 2)}},
				{"mapping: shares short of the whole", "/admin/units/import", url.Values{"kind": {"mapping"}, "day": {"2025-07-01"}, "dry_run": {"yes"}}, "map.csv",
					csvFile("Mã cũ,Mã mới,Loại,Tỷ lệ", "26508,26506,một phần,30%", "26508,26521,một phần,30%"),
					http.StatusUnprocessableEntity, []string{problems(1), "60%", l.T("indicators.import.error.weight_short")}},
				{"mapping: wrong headers", "/admin/units/import", url.Values{"kind": {"mapping"}, "day": {"2025-07-01"}}, "map.csv",
					csvFile("a,b", "1,2"),
					http.StatusUnprocessableEntity, []string{problems(1)}},
				{"mapping: empty file", "/admin/units/import", url.Values{"kind": {"mapping"}, "day": {"2025-07-01"}}, "map.csv", nil,
					http.StatusBadRequest, []string{empty("map.csv")}},
				{"values: only a heading", "/reports/import", nil, "head.csv",
					csvFile("Mã đơn vị,Kỳ,HH_TOTAL,HH_FIBRE"),
					http.StatusUnprocessableEntity, []string{problems(1), noRows}},
				{"units: only a heading", "/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "units.csv",
					csvFile(unitHeader),
					http.StatusUnprocessableEntity, []string{problems(1), noRows}},
				{"mapping: only a heading", "/admin/units/import", url.Values{"kind": {"mapping"}, "day": {"2025-07-01"}}, "map.csv",
					csvFile("Mã cũ,Mã mới,Loại,Tỷ lệ"),
					http.StatusUnprocessableEntity, []string{problems(1), noRows}},
				{"units: the year 0", "/admin/units/import", url.Values{"kind": {"units"}, "day": {"0000-01-01"}}, "units.csv",
					csvFile(unitHeader, "Tỉnh Bà Rịa - Vũng Tàu,77,Thành phố Vũng Tàu,747,Phường 1,26506,Phường,"),
					http.StatusBadRequest, []string{dayRange, `href="#import-day"`}},
				{"mapping: the day that means still valid", "/admin/units/import", url.Values{"kind": {"mapping"}, "day": {"9999-12-31"}}, "map.csv",
					csvFile("Mã cũ,Mã mới,Loại,Tỷ lệ", "26506,26506,toàn bộ,"),
					http.StatusBadRequest, []string{dayRange}},
			}
			// A commit with a token that was never issued, or is another
			// user's, finds nothing, and says to check the file again.
			commune.post(prefix+"/reports/import/commit", url.Values{"token": {"no-such-upload"}}).
				mustStatus(t, http.StatusGone).mustContain(t, l.N("limits.import.gone", indicators.MaxPendingUploads))
			commune.post(prefix+"/reports/import/commit", url.Values{"token": {strings.Repeat("x", 65)}}).
				mustStatus(t, http.StatusBadRequest)
			// A file wrong in every cell lists the first problems and
			// says there are more, instead of a page of 10,000 rows.
			words := append([]byte("Mã đơn vị,Kỳ,HH_TOTAL,HH_FIBRE\n"), bytes.Repeat([]byte("26536,"+month+",nhiều,nhiều\n"), 5000)...)
			res := commune.postFile(prefix+"/reports/import", nil, "file", "words.csv", words).mustStatus(t, http.StatusUnprocessableEntity)
			res.mustContain(t, l.N("indicators.import.problems_more", indicators.MaxRowErrors), `<td class="num">51</td>`)
			if n := strings.Count(res.Body, `<td class="num">`); n != indicators.MaxRowErrors {
				t.Errorf("a file wrong in every cell listed %d problems, want %d", n, indicators.MaxRowErrors)
			}
			for _, c := range cases {
				t.Run(string(lang)+"/"+c.name, func(t *testing.T) {
					who := commune
					if strings.HasPrefix(c.path, "/admin") {
						who = admin
					}
					before := tableCounts(t, db)
					res := who.postFile(prefix+c.path, c.fields, "file", c.file, c.data).mustStatus(t, c.status)
					res.mustContain(t, append([]string{`<html lang="` + string(lang) + `"`, l.T("error.title_prefix")}, c.want...)...)
					if after := tableCounts(t, db); after != before {
						t.Errorf("a refused file changed the database: before %v, after %v", before, after)
					}
				})
			}
		}
	})
}

const unitHeader = "Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp,Tên Tiếng Anh"

func csvFile(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

// manyRows is a value file of n rows for unit 26536 in the n months up to
// month, with a word in place of a number on the given rows
// (numbered as in Excel, the heading being row 1).
func manyRows(month string, n int, bad ...int) []byte {
	p, _ := indicators.ParsePeriod(month)
	var b bytes.Buffer
	b.WriteString("Mã đơn vị,Kỳ,HH_TOTAL,HH_FIBRE\n")
	for row := 2; row < n+2; row, p = row+1, p.Prev() {
		total := "100"
		for _, r := range bad {
			if r == row {
				total = "nhiều"
			}
		}
		fmt.Fprintf(&b, "26536,%s,%s,50\n", p, total)
	}
	return b.Bytes()
}

// xlsxWithDatePeriod is a value file whose Kỳ cell Excel turned into a
// date, as it does when someone types 12/2026 into a general cell.
func xlsxWithDatePeriod(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	for i, v := range []any{"Mã đơn vị", "Kỳ", "HH_TOTAL"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue(sh, cell, v)
	}
	f.SetCellValue(sh, "A2", "26536")
	f.SetCellValue(sh, "B2", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	f.SetCellValue(sh, "C2", 10)
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellStyle(sh, "B2", "B2", style)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tableCounts counts the rows an import may write.
func tableCounts(t *testing.T, db bun.IDB) [4]int64 {
	t.Helper()
	var out [4]int64
	for i, table := range []string{"org_units", "org_unit_successors", "indicator_values", "indicator_reports"} {
		n, err := db.NewSelect().Table(table).Count(context.Background())
		if err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[i] = n
	}
	return out
}

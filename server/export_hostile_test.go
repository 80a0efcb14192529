package server

import (
	"context"
	encsv "encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"digiportal/database/dbtest"
)

// TestExportsNeutraliseFormulas (issue 15 item 7): an indicator whose name
// an admin made a formula, and a unit imported with one as its name, reach
// both the CSV and the XLSX of the dashboards as text that shows and never
// runs, while negative and other numbers stay numbers, codes stay text and
// a rate that cannot be computed is an empty cell.
func TestExportsNeutraliseFormulas(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	ctx := context.Background()
	const evil = `=HYPERLINK("http://attacker.example","x")`
	const unitEvil = "@SUM(1+1)"
	if _, err := db.NewUpdate().Table("indicator_definitions").Set("name_en = ?", evil).Set("name_vi = ?", evil).Where("code = ?", "SMARTPHONE").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NewUpdate().Table("org_units").Set("name = ?", unitEvil).Set("name_en = ?", unitEvil).Where("code = ?", "26506").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	// A table no view has is refused, not answered with another table.
	ts.get("/export/en/indicators?format=csv&table=zzz").mustStatus(t, http.StatusBadRequest)
	csv := ts.get("/export/en/indicators?format=csv&table=summary").mustStatus(t, http.StatusOK)
	recs, err := encsv.NewReader(strings.NewReader(strings.TrimPrefix(csv.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range recs {
		if r[0] == "SMARTPHONE" {
			found = true
			if r[1] != "'"+evil {
				t.Errorf("CSV name %q", r[1])
			}
		}
	}
	if !found || !strings.Contains(csv.Body, `"SMARTPHONE"`) {
		t.Errorf("CSV without the quoted code:\n%s", csv.Body)
	}

	res := ts.get("/export/en/indicators?format=xlsx&view=indicator&indicator=SMARTPHONE&unit=79").mustStatus(t, http.StatusOK)
	x, err := excelize.OpenReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) < 3 || sheets[0] != "About" {
		t.Fatalf("sheets %q", sheets)
	}
	if what, _ := x.GetCellValue("About", "B1"); what != "SMARTPHONE – "+evil {
		t.Errorf("about sheet says %q", what)
	}
	seen := false
	for _, s := range sheets {
		rows, _ := x.GetRows(s)
		for i, r := range rows {
			for j, v := range r {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if f, _ := x.GetCellFormula(s, cell); f != "" {
					t.Errorf("%s!%s is a formula %q", s, cell, f)
				}
				if strings.HasPrefix(v, "=") || strings.HasPrefix(v, "@") {
					t.Errorf("%s!%s starts a formula: %q", s, cell, v)
				}
				if v == "'"+unitEvil {
					seen = true
					if code, _ := x.GetCellValue(s, "A"+strings.TrimLeft(cell, "ABCDEFGHIJ")); code != "26506" {
						t.Errorf("the unit's code came out as %q", code)
					}
					if typ, _ := x.GetCellType(s, "A"+strings.TrimLeft(cell, "ABCDEFGHIJ")); typ == excelize.CellTypeNumber {
						t.Error("a unit code is a number cell")
					}
				}
			}
		}
	}
	if !seen {
		t.Error("the unit with a formula for a name is not in the workbook")
	}
}

package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// hostile are names an admin-edited definition or an imported unit list
// could carry.
var hostile = []string{`=HYPERLINK("http://x","y")`, "+84 90", "-2+3", "@SUM(A1)", "\tA", "\rB", `=1+1`}

func rows() [][]Cell {
	var out [][]Cell
	for i, h := range hostile {
		out = append(out, []Cell{Text("0" + string(rune('1'+i))), Text(h), Int(-1200), Decimal(-3.25), Percent(61.5), Empty()})
	}
	return out
}

// TestCSVHostile: every text cell is quoted and neutralised, numbers
// (negative ones too) stay bare numbers, a missing value is empty.
func TestCSVHostile(t *testing.T) {
	var buf bytes.Buffer
	c := NewCSV(&buf)
	if err := c.Row(Texts("Mã", "Tên", "n", "d", "%", "x")); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows() {
		if err := c.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	body := buf.String()
	if !strings.HasPrefix(body, "\ufeff\"Mã\",\"Tên\"") || !strings.Contains(body, "\r\n\"01\",") {
		t.Errorf("CSV starts %q", body[:40])
	}
	if !strings.Contains(body, `,-1200,-3.2,61.5,`+"\r\n") && !strings.Contains(body, `,-1200,-3.3,61.5,`+"\r\n") {
		t.Errorf("numbers not bare: %q", body)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hostile {
		if got := recs[i+1][1]; got != "'"+h {
			t.Errorf("CSV cell %q came out as %q", h, got)
		}
		if recs[i+1][5] != "" {
			t.Errorf("missing value written as %q", recs[i+1][5])
		}
	}
}

// TestXLSXHostile: text cells are strings (neutralised, never a formula),
// codes keep their leading zero, numbers are numbers, a missing value is
// an empty cell; the first sheet says what the file is; sheet names are
// made valid.
func TestXLSXHostile(t *testing.T) {
	wb, err := NewWorkbook("Giới thiệu", [][2]string{{"Chỉ tiêu", "=evil"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := wb.Sheet("Bảng: theo/địa bàn [1] rất rất rất dài quá mức cho phép", []string{"Mã", "=Tên"}); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows() {
		if err := wb.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := wb.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[0] != "Giới thiệu" || strings.ContainsAny(sheets[1], `:/[]`) || len([]rune(sheets[1])) > 31 {
		t.Fatalf("sheets %q", sheets)
	}
	if v, _ := f.GetCellValue(sheets[0], "B1"); v != "'=evil" {
		t.Errorf("about sheet B1 = %q", v)
	}
	s := sheets[1]
	if v, _ := f.GetCellValue(s, "B1"); v != "'=Tên" {
		t.Errorf("head = %q", v)
	}
	for i, h := range hostile {
		row := i + 2
		cell := func(col string) string { return col + string(rune('0'+row)) }
		if v, _ := f.GetCellValue(s, cell("B")); v != "'"+h {
			t.Errorf("text %q came out as %q", h, v)
		}
		if formula, _ := f.GetCellFormula(s, cell("B")); formula != "" {
			t.Errorf("cell %s is a formula %q", cell("B"), formula)
		}
		for col, want := range map[string]excelize.CellType{"A": excelize.CellTypeSharedString, "B": excelize.CellTypeSharedString} {
			if typ, _ := f.GetCellType(s, cell(col)); typ != want && typ != excelize.CellTypeInlineString {
				t.Errorf("%s%d is of type %v, want text", col, row, typ)
			}
		}
		if v, _ := f.GetCellValue(s, cell("A"), excelize.Options{RawCellValue: true}); v != "0"+string(rune('1'+i)) {
			t.Errorf("code came out as %q", v)
		}
		if v, _ := f.GetCellValue(s, cell("C"), excelize.Options{RawCellValue: true}); v != "-1200" {
			t.Errorf("negative number came out as %q", v)
		}
		if typ, _ := f.GetCellType(s, cell("C")); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("negative number is of type %v", typ)
		}
		if v, _ := f.GetCellValue(s, cell("E"), excelize.Options{RawCellValue: true}); v != "0.615" {
			t.Errorf("percent came out as %q", v)
		}
		if v, _ := f.GetCellValue(s, cell("F")); v != "" {
			t.Errorf("missing value came out as %q", v)
		}
	}
	if v, _ := f.GetCellValue(s, "C2"); v != "-1,200" {
		t.Errorf("thousands separator: %q", v)
	}
}

// TestSheetNames: whatever an admin names an indicator (its trend sheet
// bears the name), the workbook is written: apostrophes at the ends, a
// name long in UTF-16 (emoji), and more than ten sheets of one name.
func TestSheetNames(t *testing.T) {
	wb, err := NewWorkbook("Giới thiệu", nil)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Tỷ lệ hộ có cáp quang ", 3)
	names := []string{"'Tỷ lệ'", strings.Repeat("😀", 20), "''", "Tỷ lệ hộ có cáp quang '' và điện thoại'"}
	for range 12 {
		names = append(names, long)
	}
	for _, n := range names {
		if err := wb.Sheet(n, []string{"Mã"}); err != nil {
			t.Fatalf("sheet %q: %v", n, err)
		}
	}
	var buf bytes.Buffer
	if _, err := wb.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := f.GetSheetList()
	seen := map[string]bool{}
	for _, s := range got {
		if seen[strings.ToLower(s)] || strings.HasPrefix(s, "'") || strings.HasSuffix(s, "'") {
			t.Errorf("sheet name %q repeated or quoted", s)
		}
		seen[strings.ToLower(s)] = true
	}
	if len(got) != len(names)+1 {
		t.Errorf("%d sheets, want %d: %q", len(got), len(names)+1, got)
	}
}

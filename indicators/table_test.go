package indicators

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"digiportal/i18n"
)

// wideXLSX is the file of issue 11: a heading row, then rows that each
// hold one cell in the last column Excel has (XFD).
func wideXLSX(t testing.TB, rows int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"Mã đơn vị", "Tên đơn vị", "Kỳ", ElemHouseholds}); err != nil {
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

// xlsxOf wraps the rows of a worksheet (the inside of <sheetData>) in the
// smallest package excelize opens, so that a test can hold what Excel
// never writes. Further parts may be added by name.
func xlsxOf(t testing.TB, sheetData string, parts ...string) []byte {
	t.Helper()
	files := []string{
		"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + sheetData + `</sheetData></worksheet>`,
	}
	files = append(files, parts...)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readTable gathers the rows eachRow hands over, for the tests that look
// at a whole table.
func readTable(data []byte) ([][]string, error) {
	var rows [][]string
	err := eachRow(context.Background(), data, func(_ int, row []string) error {
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// peakLive returns the most heap that f holds live at once, above what
// was live before: the collector runs at every 1% of growth meanwhile, so
// the heap stays close to what is live, and another goroutine samples it.
func peakLive(f func()) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(1))
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	done := make(chan struct{})
	sampled := make(chan uint64)
	go func() {
		var ms runtime.MemStats
		max := uint64(0)
		for {
			select {
			case <-done:
				sampled <- max
				return
			default:
				runtime.ReadMemStats(&ms)
				max = cmpMax(max, ms.HeapAlloc)
				time.Sleep(time.Millisecond)
			}
		}
	}()
	f()
	close(done)
	peak = cmpMax(peak, <-sampled)
	return peak - base
}

func cmpMax(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// limitOf returns the bound err names, or a zero one when err names none.
func limitOf(err error) TableLimitError {
	var tle *TableLimitError
	if errors.As(err, &tle) {
		return *tle
	}
	return TableLimitError{}
}

// TestWideXLSXIsRefusedUnpadded is issue 11's file: 2,000 rows with a
// cell in column XFD took the portal from 61 MB to 973 MB, because every
// row was padded to 16,384 strings. It must be refused at its first wide
// row, for a few megabytes.
func TestWideXLSXIsRefusedUnpadded(t *testing.T) {
	data := wideXLSX(t, 2000)
	var err error
	n := allocated(func() { _, err = readTable(data) })
	want := TableLimitError{Kind: LimitColumns, Limit: MaxImportColumns, Row: 2}
	if got := limitOf(err); got != want || !errors.Is(err, ErrNotTable) {
		t.Errorf("readTable(wide XLSX) = %v; want %+v wrapping ErrNotTable", err, want)
	}
	// One padded row alone is 16,384 strings of 16 bytes; 2,000 of them
	// are half a gigabyte. Reading the file's zip directory and the first
	// rows costs well under a megabyte.
	t.Logf("refusing the wide XLSX of 2,000 rows allocated %d KB", n>>10)
	if n > 8<<20 {
		t.Errorf("refusing the wide XLSX allocated %d MB, want under 8 MB", n>>20)
	}
}

// TestCommaLineIsRefusedUnsplit is the CSV of issue 11: a second line of
// millions of commas became one record of millions of strings.
func TestCommaLineIsRefusedUnsplit(t *testing.T) {
	data := []byte("Mã đơn vị,Kỳ," + ElemHouseholds + "\n" + strings.Repeat(",", 5_000_000) + "\n")
	var err error
	n := allocated(func() { _, err = readTable(data) })
	want := TableLimitError{Kind: LimitColumns, Limit: MaxImportColumns, Row: 2}
	if got := limitOf(err); got != want {
		t.Errorf("readTable(comma line) = %v; want %+v", err, want)
	}
	// encoding/csv would hold 5 million strings (80 MB) and their
	// positions; refused before it starts, nothing that size is made.
	t.Logf("refusing the comma line allocated %d KB", n>>10)
	if n > 1<<20 {
		t.Errorf("refusing the comma line allocated %d KB, want under 1 MB", n>>10)
	}
}

// TestAttributeBombIsRefused: one start tag of a million attributes is a
// few megabytes of XML that encoding/xml builds whole, hundreds of
// megabytes of attributes, in the check and again in excelize.
func TestAttributeBombIsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<row r="1"><c r="A1"`)
	for i := range 1_000_000 {
		fmt.Fprintf(&b, ` a%d=""`, i)
	}
	b.WriteString(`><v>1</v></c></row>`)
	data := xlsxOf(t, b.String())
	var err error
	n := allocated(func() { _, err = readTable(data) })
	if !errors.Is(err, ErrNotTable) {
		t.Errorf("readTable(attribute bomb) = %v; want ErrNotTable", err)
	}
	t.Logf("refusing the attribute bomb allocated %d KB", n>>10)
	if n > 16<<20 {
		t.Errorf("refusing the attribute bomb allocated %d MB, want under 16 MB", n>>20)
	}
}

func TestTableLimits(t *testing.T) {
	row := func(cells int, v string) string {
		return strings.TrimSuffix(strings.Repeat(v+",", cells), ",") + "\n"
	}
	cellsCSV := strings.Repeat(row(50, "1"), MaxImportCells/50) + row(1, "1")
	valueCells := func(n int, ref func(i int) string) string {
		var b strings.Builder
		b.WriteString(`<row r="1">`)
		for i := range n {
			fmt.Fprintf(&b, `<c%s><v>1</v></c>`, ref(i))
		}
		b.WriteString(`</row>`)
		return b.String()
	}
	noRef := func(int) string { return "" }
	sameRef := func(int) string { return ` r="A1"` }
	secondSheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="7"><c r="ZZ7" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`
	tests := []struct {
		name string
		data []byte
		want TableLimitError
	}{
		{"csv: a cell in column 65", []byte(row(3, "a") + strings.Repeat(",", 64) + "x\n"), TableLimitError{LimitColumns, MaxImportColumns, 2}},
		{"csv: a quoted cell in column 65, a row further on", []byte(row(3, "a") + "\n" + strings.Repeat(",", 64) + `"x"` + "\n"), TableLimitError{LimitColumns, MaxImportColumns, 3}},
		{"csv: more blank fields than Excel has columns", []byte("a" + strings.Repeat(";", maxCSVFields) + "\n"), TableLimitError{LimitColumns, MaxImportColumns, 1}},
		{"csv: a record longer than the line bound", []byte("a,b\n1,\"" + strings.Repeat("x\n", MaxImportLineBytes) + "\"\n"), TableLimitError{LimitLine, MaxImportLineBytes, 2}},
		{"csv: more rows than an import takes", []byte(strings.Repeat("1\n", MaxImportRows+1)), TableLimitError{Kind: LimitRows, Limit: MaxImportRows}},
		{"csv: more cells than an import takes", []byte(cellsCSV), TableLimitError{Kind: LimitCells, Limit: MaxImportCells}},
		{"xlsx: a cell in column 65", xlsxOf(t, `<row r="1"><c r="A1"><v>1</v></c><c r="BM1"><v>1</v></c></row>`), TableLimitError{LimitColumns, MaxImportColumns, 1}},
		{"xlsx: an absolute reference to column XFD", xlsxOf(t, `<row r="4"><c r="$XFD$4"><v>1</v></c></row>`), TableLimitError{LimitColumns, MaxImportColumns, 4}},
		{"xlsx: a lower-case reference", xlsxOf(t, `<row><c r="xfd1"><v>1</v></c></row>`), TableLimitError{LimitColumns, MaxImportColumns, 1}},
		{"xlsx: 65 cells without references", xlsxOf(t, valueCells(65, noRef)), TableLimitError{LimitColumns, MaxImportColumns, 1}},
		{"xlsx: 65 cells that all say A1", xlsxOf(t, valueCells(65, sameRef)), TableLimitError{LimitColumns, MaxImportColumns, 1}},
		{"xlsx: a wide sheet after the first", xlsxOf(t, `<row r="1"><c r="A1"><v>1</v></c></row>`, "xl/worksheets/sheet2.xml", secondSheet), TableLimitError{LimitColumns, MaxImportColumns, 7}},
		{"xlsx: more cells than an import takes", xlsxOf(t, "<row>"+strings.Repeat("<c/>", MaxImportCells+1)+"</row>"), TableLimitError{Kind: LimitCells, Limit: MaxImportCells}},
		{"xlsx: more shared strings than an import takes", xlsxOf(t, "", "xl/sharedStrings.xml", "<sst>"+strings.Repeat("<si><t>1</t></si>", MaxImportStrings+1)+"</sst>"), TableLimitError{Kind: LimitStrings, Limit: MaxImportStrings}},
		{"xlsx: a picture excelize would hold in memory", xlsxOf(t, "", "xl/media/image1.png", strings.Repeat("\x00", xlsxInMemoryLimit)), TableLimitError{Kind: LimitOther, Limit: 8}},
		{"xlsx: more unpacked than an import takes", xlsxOf(t, "", "xl/worksheets/sheet2.xml", strings.Repeat(" ", xlsxUnzipLimit)), TableLimitError{Kind: LimitXLSX, Limit: 64}},
		{"xlsx: a row past Excel's last", xlsxOf(t, `<row r="1"><c r="A1"><v>1</v></c></row><row r="1048577"><c><v>1</v></c></row>`), TableLimitError{Kind: LimitRows, Limit: MaxImportRows}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := readTable(tt.data)
			if got := limitOf(err); got != tt.want || !errors.Is(err, ErrNotTable) {
				t.Errorf("got %d rows, error %v; want %+v wrapping ErrNotTable", len(rows), err, tt.want)
			}
		})
	}
}

// TestTablesOfTheRealShape reads files as people send them, up to the
// bounds, and what Excel writes around the data that must not count.
func TestTablesOfTheRealShape(t *testing.T) {
	var els []Element
	for i, e := range seedElements {
		if e.Entered() {
			e.ID = int64(i + 1)
			els = append(els, e)
		}
	}
	units := make([]Unit, 5000)
	for i := range units {
		units[i] = Unit{Code: fmt.Sprintf("%05d", 20000+i), Name: fmt.Sprintf("Phường %d", i+1)}
	}
	template, err := Template(els, units, Month(2026, 1), false, TemplateText{UnitCode: "Mã đơn vị", UnitName: "Tên đơn vị", Period: "Kỳ", DataSheet: "Số liệu", NotesSheet: "Hướng dẫn", Notes: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	var full strings.Builder
	full.WriteString("Mã đơn vị,Tên đơn vị,Kỳ")
	for _, e := range els {
		full.WriteString("," + e.Code)
	}
	full.WriteString("\n")
	for i := range MaxImportRows - 1 {
		fmt.Fprintf(&full, "%05d,\"Xã %d, huyện A\",2026-01,1000,800,2700,2200,2000,900,1800,2100,1300\n", i, i)
	}
	picture := make([]byte, xlsxCopyBelow)
	if _, err := rand.Read(picture); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		data       []byte
		rows       int
		last       []string // the cells of the last row
		wantValues bool     // whether ParseValueFile finds values in it
	}{
		{"the value template of 5,000 units", template, 5002, []string{"24999", "Phường 5000", "2026-01"}, true},
		{"a value file at the row limit", []byte(full.String()), MaxImportRows, []string{"49998", "Xã 49998, huyện A", "2026-01", "1000", "800", "2700", "2200", "2000", "900", "1800", "2100", "1300"}, true},
		{"blank fields past column 64", []byte("Mã đơn vị,Kỳ\n26506,2026-01" + strings.Repeat(", ", 200) + "\r\n"), 2, []string{"26506", "2026-01"}, false},
		{"a quoted cell full of commas", []byte("Mã cũ;Mã mới\n\"" + strings.Repeat(";,", 100) + "\"\"\";26710\n"), 2, []string{strings.Repeat(";,", 100) + `"`, "26710"}, false},
		{"the longest text a cell holds", xlsxOf(t, `<row r="1"><c r="A1" t="inlineStr"><is><t>`+strings.Repeat("ệ", 32767)+`</t></is></c></row>`), 1, []string{strings.Repeat("ệ", 32767)}, false},
		{"a file over a megabyte, with a picture", xlsxOf(t, `<row r="1"><c r="A1"><v>26707</v></c></row>`, "xl/media/image1.png", string(picture)), 1, []string{"26707"}, false},
		{"styled blank cells past column 64", xlsxOf(t, `<row r="1"><c r="A1" t="inlineStr"><is><t>Mã cũ</t></is></c><c r="XFD1" s="1"/></row><row r="2"><c r="A2"><v>26707</v></c><c r="ZZ2" s="1"></c></row>`), 2, []string{"26707"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := readTable(tt.data)
			if err != nil {
				t.Fatalf("readTable: %v", err)
			}
			if len(rows) != tt.rows || strings.Join(rows[len(rows)-1], "|") != strings.Join(tt.last, "|") {
				t.Errorf("got %d rows ending %q; want %d ending %q", len(rows), rows[len(rows)-1], tt.rows, tt.last)
			}
			if !tt.wantValues {
				return
			}
			vals, errs, err := ParseValueFile(t.Context(), tt.data, els)
			if err != nil || len(errs) != 0 || len(vals) == 0 {
				t.Errorf("ParseValueFile: %d rows, errors %v %v", len(vals), errs, err)
			}
		})
	}
}

// TestValueFileIsReadRowByRow reads a value file of 25 MB that holds a
// few rows of figures and 40,000 rows of notes, as a clumsy or hostile
// upload may: the rows are handed to the parser one by one and only the
// figures are kept, so what reading holds at once is a small part of the
// file, not a second copy of it in strings (the upload itself is held by
// the caller).
func TestValueFileIsReadRowByRow(t *testing.T) {
	var els []Element
	for i, e := range seedElements {
		if e.Entered() {
			e.ID = int64(i + 1)
			els = append(els, e)
		}
	}
	var b strings.Builder
	b.WriteString("Mã đơn vị,Kỳ,Ghi chú")
	for _, e := range els {
		b.WriteString("," + e.Code)
	}
	b.WriteString("\n")
	for i := range 24 {
		fmt.Fprintf(&b, "26506,%d-%02d,%s%s\n", 2022+i/12, 1+i%12, strings.Repeat("x", 600), strings.Repeat(",1", len(els)))
	}
	note := ",," + strings.Repeat("ghi chú ", 75) + "\n"
	for range 40_000 {
		b.WriteString(note)
	}
	data := []byte(b.String())
	var rows []ImportRow
	var errs []RowError
	var err error
	peak := peakLive(func() { rows, errs, err = ParseValueFile(t.Context(), data, els) })
	if err != nil || len(errs) != 0 || len(rows) != 24 {
		t.Fatalf("ParseValueFile: %d rows, %v, %v; want 24 rows", len(rows), errs, err)
	}
	t.Logf("reading %d MB held at most %d KB at once", len(data)>>20, peak>>10)
	if peak > uint64(len(data))/4 {
		t.Errorf("reading %d MB held %d MB at once, want under a quarter of the file", len(data)>>20, peak>>20)
	}
}

// TestEachRowStops checks that a row function can stop the reading: no
// row is handed over after, and eachRow returns no error of its own.
func TestEachRowStops(t *testing.T) {
	var seen []int
	err := eachRow(t.Context(), []byte("a\nb\nc\nd\n"), func(n int, _ []string) error {
		seen = append(seen, n)
		if n == 2 {
			return errStopReading
		}
		return nil
	})
	if err != nil || fmt.Sprint(seen) != "[1 2]" {
		t.Errorf("rows %v, error %v; want [1 2] and none", seen, err)
	}
}

// TestCellsWithControlCharactersAreRefused reads files whose cells hold
// characters no person types, the way they arrive: pasted into a CSV,
// written by another program, or escaped in an XLSX file as Excel does
// (_x0000_). Each file is refused with a *TextError naming the first such
// cell as Excel does and counting them; tabs and line breaks inside a
// cell (Alt+Enter) are text and pass.
func TestCellsWithControlCharactersAreRefused(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		cell  string // "" when the file must be read
		count int
	}{
		{"a NUL in a CSV code", []byte("Mã đơn vị,Kỳ\n265\x0006,2026-01\n"), "A2", 1},
		{"an escape code in a name, and a DEL", []byte("Mã đơn vị;Tên;Kỳ\n26506;Phường \x1b[31mA;2026-01\n26507;B\x7f;2026-01\n"), "B2", 2},
		{"a C1 control inside a cell", []byte("Mã cũ,Mã mới\n26506,26\u009b507\n"), "B2", 1},
		{"a NUL in the header", []byte("Mã đơn vị,HH_\x00TOTAL\n"), "B1", 1},
		{"a NUL in a quoted cell of row 3", []byte("a,b\n1,2\n3,\"x\x00\"\n"), "B3", 1},
		{"an escaped NUL in an XLSX shared string", xlsxOf(t, `<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="C2" t="s"><v>1</v></c></row>`,
			"xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Mã</t></si><si><t>Phường_x0000_A</t></si></sst>`), "C2", 1},
		{"an escaped bell in an XLSX inline string", xlsxOf(t, `<row r="4"><c r="D4" t="inlineStr"><is><t>_x0007_26506</t></is></c></row>`), "D4", 1},
		{"tabs and line breaks inside cells", []byte("Tên,Ghi chú\n\"Phường\tA\",\"dòng một\r\ndòng hai\"\n"), "", 0},
		{"a line break in an XLSX cell", xlsxOf(t, `<row r="1"><c r="A1" t="inlineStr"><is><t>Xã A_x000D__x000A_thôn B</t></is></c></row>`), "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := readTable(tt.data)
			var te *TextError
			switch {
			case tt.cell == "" && err != nil:
				t.Fatalf("readTable: %v", err)
			case tt.cell == "":
				return
			case !errors.As(err, &te) || !errors.Is(err, ErrNotTable):
				t.Fatalf("got rows %q, error %v; want a *TextError at %s", rows, err, tt.cell)
			}
			if te.Cell != tt.cell || te.Count != tt.count {
				t.Errorf("got cell %s, count %d; want %s, %d", te.Cell, te.Count, tt.cell, tt.count)
			}
		})
	}
}

func FuzzReadTable(f *testing.F) {
	for _, name := range []string{demoBefore, demoAfter, demoMapping} {
		data, err := demoFiles.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("Mã đơn vị;Kỳ;HH_TOTAL\r\n26506;\"2024-01\";\"1.0\"\"00\"\r\n\"a\"b\",\"\r\n\"\n"))
	f.Add([]byte("a\tb\n" + strings.Repeat("\t", 70) + "x\n"))
	f.Add(wideXLSX(f, 3))
	f.Add(xlsxOf(f, `<row r="1"><c r="A1" t="inlineStr"><is><t> Mã cũ </t></is></c><c r="C1"><v>2</v></c><c r="BZ1" s="1"/></row><row><c><f>1+1</f></c></row>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := readTable(data)
		if err != nil {
			if !errors.Is(err, ErrNotTable) {
				t.Fatalf("error %v does not wrap ErrNotTable", err)
			}
			if tle := limitOf(err); tle.Kind != "" && (tle.Limit <= 0 || tle.MsgID() == "") {
				t.Fatalf("limit error without a limit or message: %+v", tle)
			}
			return
		}
		if len(rows) > MaxImportRows {
			t.Fatalf("accepted %d rows", len(rows))
		}
		cells := 0
		for i, r := range rows {
			if len(r) > MaxImportColumns {
				t.Fatalf("accepted row %d of %d cells", i+1, len(r))
			}
			if len(r) > 0 && r[len(r)-1] == "" {
				t.Fatalf("row %d ends with a blank cell: %q", i+1, r)
			}
			for _, c := range r {
				if c != strings.TrimSpace(c) {
					t.Fatalf("row %d has an untrimmed cell %q", i+1, c)
				}
				if !i18n.Typeable(c) {
					t.Fatalf("row %d has a cell with control characters: %q", i+1, c)
				}
			}
			cells += len(r)
		}
		if cells > MaxImportCells {
			t.Fatalf("accepted %d cells", cells)
		}
	})
}

// TestRepeatedTextIsBounded: an XLSX cell names a shared string by its
// number, and excelize hands over a copy of the string for each cell that
// names it. A file of 59 KB whose 2,000 rows named one text of 100 KB made
// the server hold 405 MiB of unit names; at 50,000 rows it would hold
// gigabytes. The text of all cells together is bounded, and so is one
// string, whose runs excelize joins into one text per cell.
func TestRepeatedTextIsBounded(t *testing.T) {
	rowsNaming := func(rows int) string {
		var b strings.Builder
		for r := 1; r <= rows; r++ {
			fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="s"><v>0</v></c><c r="B%d" t="s"><v>0</v></c></row>`, r, r, r)
		}
		return b.String()
	}
	long := strings.Repeat("Thôn xóm làng ", 100_000/len("Thôn xóm làng "))
	data := xlsxOf(t, rowsNaming(200), "xl/sharedStrings.xml", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`+long+"</t></si></sst>")
	var err error
	peak := peakLive(func() { _, err = readTable(data) })
	want := TableLimitError{Kind: LimitText, Limit: MaxImportText >> 20}
	if got := limitOf(err); got != want || !errors.Is(err, ErrNotTable) {
		t.Errorf("%d rows naming a text of %d bytes: error %v; want %+v", 200, len(long), err, want)
	}
	if peak > 48<<20 {
		t.Errorf("reading held %d MB", peak>>20)
	}

	runs := strings.Repeat("<r><t>"+strings.Repeat("x", 64<<10)+"</t></r>", 3)
	data = xlsxOf(t, rowsNaming(1), "xl/sharedStrings.xml", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si>`+runs+"</si></sst>")
	if _, err := readTable(data); !errors.Is(err, ErrNotTable) {
		t.Errorf("a string of three runs of 64 KiB: error %v; want ErrNotTable", err)
	}
	inline := `<row r="1"><c r="A1" t="inlineStr"><is>` + runs + `</is></c></row>`
	if _, err := readTable(xlsxOf(t, inline)); !errors.Is(err, ErrNotTable) {
		t.Errorf("an inline string of three runs of 64 KiB: error %v; want ErrNotTable", err)
	}
	// A cell as long as Excel allows is read.
	inline = `<row r="1"><c r="A1" t="inlineStr"><is><t>` + strings.Repeat("ệ", 32767) + `</t></is></c></row>`
	if rows, err := readTable(xlsxOf(t, inline)); err != nil || len(rows) != 1 {
		t.Errorf("a cell of 32,767 characters: %d rows, error %v", len(rows), err)
	}
}

package export

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Workbook writes an XLSX file sheet by sheet through excelize's
// StreamWriter: each sheet's rows go to a temporary part as they come, so
// a sheet of many rows costs no more memory than one of a few.
type Workbook struct {
	f      *excelize.File
	sw     *excelize.StreamWriter
	row    int
	sheets int
	styles map[Kind]int
	bold   int
	names  map[string]bool
}

// NewWorkbook starts a workbook whose first sheet, named aboutName, says
// what the file is: about holds lines of a label and a value (what is
// counted, the unit, the day of the hierarchy, approved or pending
// figures, when it was exported), in the reader's language.
func NewWorkbook(aboutName string, about [][2]string) (*Workbook, error) {
	f := excelize.NewFile()
	wb := &Workbook{f: f, styles: map[Kind]int{}, names: map[string]bool{}}
	for kind, format := range map[Kind]string{KindText: "@", KindInt: "#,##0", KindDecimal: "#,##0.0", KindPercent: "0.0%"} {
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
		if err != nil {
			f.Close()
			return nil, err
		}
		wb.styles[kind] = id
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, err
	}
	wb.bold = bold
	if err := wb.Sheet(aboutName, nil); err != nil {
		f.Close()
		return nil, err
	}
	for _, line := range about {
		if err := wb.Row([]Cell{Text(line[0]), Text(line[1])}); err != nil {
			f.Close()
			return nil, err
		}
	}
	return wb, nil
}

// sheetName makes name a valid, unique sheet name as Excel (and excelize)
// takes it: at most 31 UTF-16 units, none of : \ / ? * [ ], no apostrophe
// at either end. A name taken already gets " 2", " 3"… (however many).
func (wb *Workbook) sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, name)
	fit := func(s string, max int) string {
		n := 0
		for i, r := range s {
			w := 1
			if r > 0xFFFF {
				w = 2 // a surrogate pair in UTF-16
			}
			if n+w > max {
				s = s[:i]
				break
			}
			n += w
		}
		return strings.Trim(s, "'")
	}
	base := fit(strings.Trim(name, "'"), 31)
	if base == "" {
		base = "-"
	}
	name = base
	for n := 2; wb.names[strings.ToLower(name)]; n++ {
		suffix := " " + strconv.Itoa(n)
		name = fit(base, 31-len(suffix)) + suffix
	}
	wb.names[strings.ToLower(name)] = true
	return name
}

// Sheet ends the sheet being written and starts one named name (in the
// reader's language) with head as its bold first row (none if empty).
func (wb *Workbook) Sheet(name string, head []string) error {
	if err := wb.flush(); err != nil {
		return err
	}
	name = wb.sheetName(name)
	if wb.sheets == 0 {
		if err := wb.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := wb.f.NewSheet(name); err != nil {
		return err
	}
	wb.sheets++
	sw, err := wb.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	wb.sw, wb.row = sw, 0
	if err := sw.SetColWidth(1, 2, 28); err != nil {
		return err
	}
	if len(head) > 0 {
		cells := make([]any, len(head))
		for i, h := range head {
			cells[i] = excelize.Cell{StyleID: wb.bold, Value: Safe(h)}
		}
		wb.row++
		return sw.SetRow("A1", cells)
	}
	return nil
}

// Row writes the next row of the current sheet.
func (wb *Workbook) Row(cells []Cell) error {
	if wb.sw == nil {
		return errors.New("export: a row before any sheet")
	}
	out := make([]any, len(cells))
	for i, c := range cells {
		switch c.Kind {
		case KindEmpty:
			out[i] = nil
		case KindText:
			out[i] = excelize.Cell{StyleID: wb.styles[KindText], Value: Safe(c.Text)}
		case KindPercent:
			out[i] = excelize.Cell{StyleID: wb.styles[KindPercent], Value: c.Num / 100}
		default:
			out[i] = excelize.Cell{StyleID: wb.styles[c.Kind], Value: c.Num}
		}
	}
	wb.row++
	cell, err := excelize.CoordinatesToCellName(1, wb.row)
	if err != nil {
		return err
	}
	return wb.sw.SetRow(cell, out)
}

func (wb *Workbook) flush() error {
	if wb.sw == nil {
		return nil
	}
	err := wb.sw.Flush()
	wb.sw = nil
	return err
}

// WriteTo ends the last sheet, writes the workbook to w and frees it.
func (wb *Workbook) WriteTo(w io.Writer) (int64, error) {
	defer wb.f.Close()
	if err := wb.flush(); err != nil {
		return 0, err
	}
	return wb.f.WriteTo(w)
}

// Close frees a workbook that will not be written.
func (wb *Workbook) Close() error { return wb.f.Close() }

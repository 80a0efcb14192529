package indicators

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html/charset"
)

// The bounds of an imported file. What a file costs in memory is what its
// cells cost, so cells are bounded, not rows alone, and a file past a
// bound is refused before it is read into rows.
const (
	// MaxImportRows bounds the rows one file may hold. The whole country's
	// unit list before 2025 has about 10,600 rows.
	MaxImportRows = 50000
	// MaxImportColumns bounds the column of any cell with something in it.
	// The widest file an import takes is the value template: unit code,
	// unit name, period and one column per entered element, 12 columns
	// with today's nine elements; the unit list has 8 columns and a
	// successor mapping 4. 64 leaves room for six times today's elements
	// and a few columns of a person's own notes, and keeps a row at most
	// 64 strings.
	MaxImportColumns = 64
	// MaxImportCells bounds the cells of a file. The value template at the
	// row limit is 50,000 × 12 = 600,000 cells; a million cells of the read
	// table hold 16 MB of string headers besides their text.
	MaxImportCells = 1_000_000
	// MaxImportLineBytes bounds one record of a CSV file: 64 columns of
	// 1 KiB, far more than a unit's name and figures need.
	MaxImportLineBytes = 64 << 10

	// maxCSVFields bounds the fields of one CSV record, blank ones
	// included (Excel writes the blank cells up to the last column it
	// used): Excel's own last column, XFD. encoding/csv holds a record's
	// fields at once, so this caps what one record may cost.
	maxCSVFields = 16384
	// xlsxUnzipLimit bounds an XLSX file unpacked: a sheet at the cell
	// limit is about 40 MB of XML.
	xlsxUnzipLimit = 64 << 20
)

// TableLimit names a bound of an imported file.
type TableLimit string

// The bounds a TableLimitError names.
const (
	LimitRows    TableLimit = "rows"    // more than MaxImportRows rows
	LimitColumns TableLimit = "columns" // a cell past column MaxImportColumns
	LimitCells   TableLimit = "cells"   // more than MaxImportCells cells
	LimitLine    TableLimit = "line"    // a CSV record longer than MaxImportLineBytes
)

// TableLimitError is a file refused for its size: more rows, columns,
// cells or bytes in a line than an import takes. It wraps ErrNotTable, so
// a caller that does not word it says the file cannot be read.
type TableLimitError struct {
	Kind  TableLimit
	Limit int
	Row   int // the row where the bound was passed, as Excel numbers it; 0 when no one row is at fault
}

func (e *TableLimitError) Error() string {
	if e.Row > 0 {
		return fmt.Sprintf("%v: row %d goes past the limit of %d %s", ErrNotTable, e.Row, e.Limit, e.Kind)
	}
	return fmt.Sprintf("%v: more than %d %s", ErrNotTable, e.Limit, e.Kind)
}

// Unwrap makes errors.Is(err, ErrNotTable) hold.
func (e *TableLimitError) Unwrap() error { return ErrNotTable }

// MsgID names the message that tells a person what was wrong and what to
// do. It takes Limit and Row, both formatted for the reader's language.
func (e *TableLimitError) MsgID() string {
	switch e.Kind {
	case LimitRows:
		return "indicators.import.error.limit_rows"
	case LimitColumns:
		return "indicators.import.error.limit_columns"
	case LimitCells:
		return "indicators.import.error.limit_cells"
	}
	return "indicators.import.error.limit_line"
}

// checkCSV walks data as encoding/csv will split it (lazy quotes, leading
// space kept) and refuses a record longer than MaxImportLineBytes, with a
// field that is not blank past MaxImportColumns, or with more than
// maxCSVFields fields, before encoding/csv builds it: one line of 31
// million commas would otherwise become a record of 31 million strings.
// A field counts as blank when it holds only ASCII white space, which
// strings.TrimSpace removes too.
func checkCSV(data []byte, comma byte) error {
	const (
		fieldStart = iota
		unquoted
		quoted
		quoteInQuoted // a quote in a quoted field: an escaped quote, the field's end, or (lazily) a quote
		quoteCR       // a carriage return after such a quote: the record's end if a line feed follows
	)
	state, start, row := fieldStart, 0, 1
	field, filled := 1, false // the field being read, and whether it holds anything but space
	for i := 0; i < len(data); i++ {
		if i-start >= MaxImportLineBytes {
			return &TableLimitError{Kind: LimitLine, Limit: MaxImportLineBytes, Row: row}
		}
		c := data[i]
		sep, end := false, false
		switch state {
		case fieldStart, unquoted:
			switch {
			case c == comma:
				sep = true
			case c == '\n':
				end = true
			case c == '"' && state == fieldStart:
				state = quoted
			default:
				state = unquoted
				filled = filled || !asciiSpace(c)
			}
		case quoted:
			if c == '"' {
				state = quoteInQuoted
			} else {
				filled = filled || !asciiSpace(c)
			}
		case quoteInQuoted:
			switch c {
			case comma:
				sep = true
			case '\n':
				end = true
			case '\r':
				state = quoteCR
			default: // an escaped quote, or a quote kept as it is
				state, filled = quoted, true
				if c != '"' {
					i-- // read c again inside the field
				}
			}
		case quoteCR:
			if c == '\n' {
				end = true
			} else {
				state, filled = quoted, true
				i--
			}
		}
		if filled && field > MaxImportColumns {
			return &TableLimitError{Kind: LimitColumns, Limit: MaxImportColumns, Row: row}
		}
		switch {
		case sep:
			state, filled = fieldStart, false
			if field++; field > maxCSVFields {
				return &TableLimitError{Kind: LimitColumns, Limit: MaxImportColumns, Row: row}
			}
		case end:
			state, filled, field, start = fieldStart, false, 1, i+1
			row++
		}
	}
	return nil
}

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// checkXLSX reads every part of an XLSX file the way excelize's row reader
// reads a worksheet, and refuses the file when a cell with something in it
// lies past MaxImportColumns (or a row holds more such cells), when the
// file has more than MaxImportCells cells or shared strings, or when it
// unpacks to more than xlsxUnzipLimit. Every part is read, not only the
// first sheet: which part that is takes the workbook's relationships to
// know, and a part read by mistake for another would let a wide sheet
// through. Reading streams each part, so the check costs a few kilobytes
// whatever the file holds.
func checkXLSX(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotTable, err)
	}
	var unpacked uint64
	for _, f := range zr.File {
		if unpacked += f.UncompressedSize64; f.UncompressedSize64 > xlsxUnzipLimit || unpacked > xlsxUnzipLimit {
			return fmt.Errorf("%w: more than %d bytes unpacked", ErrNotTable, xlsxUnzipLimit)
		}
	}
	var s sheetScan
	for _, f := range zr.File {
		if err := s.part(f); err != nil {
			return err
		}
	}
	return nil
}

// sheetScan counts what excelize would read of a file's worksheets.
type sheetScan struct {
	cells, strings int // <c> and <si> elements of the whole file
}

// part reads one part of the file. A part that is not XML, or stops being
// XML, ends where excelize's reader would stop reading it too: both decode
// with encoding/xml and the same character sets.
func (s *sheetScan) part(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotTable, err)
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	d.CharsetReader = charset.NewReaderLabel
	var (
		row, col int  // the row as Excel numbers it, and the column of the cell being read
		kept     int  // the cells of the row that have a value
		inCell   bool // inside a <c>
		valued   bool // the <c> has a value or formula, which excelize keeps
	)
	for {
		// RawToken reads on where Token would stop at a mismatched end
		// tag, so it counts at least what excelize reads.
		tok, err := d.RawToken()
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				row++
				if n, ok := intAttr(t.Attr, "r"); ok {
					row = n
				}
				col, kept = 0, 0
			case "c":
				if s.cells++; s.cells > MaxImportCells {
					return &TableLimitError{Kind: LimitCells, Limit: MaxImportCells}
				}
				col++
				if ref := lastAttr(t.Attr, "r"); ref != "" {
					// excelize refuses a reference it cannot read, so
					// only the ones it reads matter here.
					if c, _, err := excelize.CellNameToCoordinates(ref); err == nil {
						col = c
					}
				}
				inCell, valued = true, false
			case "v", "f", "is":
				if !inCell || valued {
					break
				}
				valued = true
				if kept++; col > MaxImportColumns || kept > MaxImportColumns {
					return &TableLimitError{Kind: LimitColumns, Limit: MaxImportColumns, Row: row}
				}
			case "si":
				if s.strings++; s.strings > MaxImportCells {
					return &TableLimitError{Kind: LimitCells, Limit: MaxImportCells}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "c" {
				inCell = false
			}
		}
	}
}

// lastAttr returns the value of the last attribute named local, as
// excelize reads a cell's reference.
func lastAttr(attrs []xml.Attr, local string) string {
	v := ""
	for _, a := range attrs {
		if a.Name.Local == local {
			v = a.Value
		}
	}
	return v
}

// intAttr returns the first attribute named local as a positive number.
func intAttr(attrs []xml.Attr, local string) (int, bool) {
	for _, a := range attrs {
		if a.Name.Local == local {
			n, err := strconv.Atoi(a.Value)
			return n, err == nil && n > 0
		}
	}
	return 0, false
}

package indicators

import (
	"cmp"
	"fmt"
	"slices"
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
	// MaxRowErrors bounds the problems an import reports. A file wrong in
	// every cell would otherwise make hundreds of thousands of them, each
	// a row of the page, and the checks that ask the database about each
	// row would go on for minutes: reading stops once more than this many
	// are found, and a list of problems holds at most MaxRowErrors+1. A
	// person corrects those and uploads the file again.
	MaxRowErrors = 100
	// MaxImportStrings bounds the shared strings of an XLSX file (each
	// text that cells hold, once). The national unit list has some 35,000
	// at most (names, and codes kept as text); figures are numbers.
	// excelize holds each in about a hundred bytes while it reads.
	MaxImportStrings = 200_000
	// MaxImportText bounds the text of a file's cells, all rows together,
	// in bytes: what a CSV at the upload limit can hold. An XLSX file
	// names a shared string by its number, and excelize hands over a copy
	// of it for every cell that names it, so without this bound a file of
	// 59 KB whose 2,000 rows name one text of 100 KB made 200 MB of unit
	// names (the server grew by 405 MiB), and 50,000 such rows gigabytes.
	MaxImportText = 32 << 20

	// maxCSVFields bounds the fields of one CSV record, blank ones
	// included (Excel writes the blank cells up to the last column it
	// used): Excel's own last column, XFD. encoding/csv holds a record's
	// fields at once, so this caps what one record may cost.
	maxCSVFields = 16384
)

// enoughErrors reports whether errs has more problems than an import
// reports, so that reading on would find only problems no one is shown.
// noRows is the problem of a file with a heading and nothing under it:
// importing it would say that nothing changed, as if the rows matched.
var noRows = RowError{Row: 2, Column: "A", MsgID: "indicators.import.error.no_rows"}

// ctxCheckEvery is how many rows (or cells, in the first look at an XLSX
// file) are read between two looks at whether the request is still on.
const ctxCheckEvery = 1024

func enoughErrors(errs []RowError) bool { return len(errs) > MaxRowErrors }

// sortRowErrors puts problems in the order of their rows (stable: a row's
// problems stay in the order of its columns) and keeps at most
// MaxRowErrors+1 of them, one more than are shown to say that there are
// more.
func sortRowErrors(errs []RowError) []RowError {
	slices.SortStableFunc(errs, func(a, b RowError) int { return cmp.Compare(a.Row, b.Row) })
	return errs[:min(len(errs), MaxRowErrors+1)]
}

// TableLimit names a bound of an imported file.
type TableLimit string

// The bounds a TableLimitError names.
const (
	LimitRows    TableLimit = "rows"    // more than MaxImportRows rows
	LimitColumns TableLimit = "columns" // a cell past column MaxImportColumns
	LimitCells   TableLimit = "cells"   // more than MaxImportCells cells
	LimitLine    TableLimit = "line"    // a CSV record longer than MaxImportLineBytes
	LimitStrings TableLimit = "strings" // more than MaxImportStrings shared strings
	LimitText    TableLimit = "text"    // more than Limit MB of text in the cells (MaxImportText)
	LimitXLSX    TableLimit = "xlsx"    // an XLSX file larger than Limit MB unpacked
	LimitOther   TableLimit = "other"   // more than Limit MB of an XLSX file held in memory to read it
)

// TableLimitError is a file refused for its size: more rows, columns,
// cells, bytes in a line, texts or megabytes than an import takes. It
// wraps ErrNotTable, so a caller that does not word it says the file
// cannot be read.
type TableLimitError struct {
	Kind  TableLimit
	Limit int
	Row   int // the row where the bound was passed, as Excel numbers it; 0 when no one row is at fault
}

func (e *TableLimitError) Error() string {
	what := string(e.Kind)
	switch e.Kind {
	case LimitLine:
		what = "bytes in a line"
	case LimitText:
		what = "MB of text in its cells"
	case LimitXLSX:
		what = "MB unpacked"
	case LimitOther:
		what = "MB held in memory to read it"
	}
	if e.Row > 0 {
		return fmt.Sprintf("%v: row %d goes past the limit of %d %s", ErrNotTable, e.Row, e.Limit, what)
	}
	return fmt.Sprintf("%v: more than %d %s", ErrNotTable, e.Limit, what)
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
	case LimitStrings:
		return "indicators.import.error.limit_strings"
	case LimitText:
		return "indicators.import.error.limit_text"
	case LimitXLSX:
		return "indicators.import.error.limit_xlsx"
	case LimitOther:
		return "indicators.import.error.limit_other"
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

package indicators

import (
	"digiportal/i18n"

	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// ErrNotTable means an uploaded file is neither CSV nor XLSX that can be read.
var ErrNotTable = errors.New("not a readable CSV or XLSX file")

// errStopReading is what a row function returns to eachRow when it needs
// no more rows: the rest would only add problems no one is shown.
var errStopReading = errors.New("stop reading")

// eachRow reads the first sheet of an XLSX file, or a CSV file in UTF-8
// with or without a byte-order mark, separated by commas, semicolons or
// tabs (Excel writes semicolons in some locales), and hands f each row in
// turn: its number as Excel shows it, and its cells with surrounding space
// trimmed and the blank ones at its end left out. A blank row is an empty
// slice, so that row numbers match what a person sees in Excel. The row
// is f's to keep. Rows are handed over one by one, not gathered first, so
// that reading costs what the caller keeps of them and no more: a table at
// the bounds is some 50 MB of strings, on top of the upload itself.
//
// A file past one of the bounds in table_limits.go is refused with a
// *TableLimitError, before any row when the bound is checked up front; a
// file with a cell holding control characters, with a *TextError once the
// rows have been read, so that f may have seen them. f may stop the
// reading with errStopReading (a heading that is not the import's, too
// many problems); eachRow then returns nil, or the *TextError of the rows
// read so far. Any other error of f ends the reading and is returned.
//
// Reading stops with ctx's error when ctx ends: a file at the bounds
// takes seconds of CPU, more on a busy machine, and a request out of time
// must not go on reading.
func eachRow(ctx context.Context, data []byte, f func(n int, row []string) error) error {
	t := &table{ctx: ctx, f: f}
	var err error
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		err = readXLSX(ctx, data, t)
	} else {
		err = readCSV(data, t)
	}
	if err != nil && err != errStopReading {
		return err
	}
	if t.text != nil {
		return t.text
	}
	return nil
}

func readCSV(data []byte, t *table) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return fmt.Errorf("%w: the text is not UTF-8", ErrNotTable)
	}
	comma := sniffComma(data)
	if err := checkCSV(data, comma); err != nil {
		return err
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = rune(comma)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true // add copies what it keeps
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrNotTable, err)
		}
		if err := t.add(rec); err != nil {
			return err
		}
	}
}

// readXLSX reads the first sheet row by row. excelize pads every row it
// returns with an empty string per blank column before the last cell, and
// has no way to read a row without that padding, so checkXLSX refuses a
// file with a cell past MaxImportColumns before the first row is read.
func readXLSX(ctx context.Context, data []byte, t *table) error {
	if err := checkXLSX(ctx, data); err != nil {
		return err
	}
	f, err := openXLSX(data)
	if err != nil {
		return err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return fmt.Errorf("%w: no sheet", ErrNotTable)
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotTable, err)
	}
	defer it.Close()
	for it.Next() {
		rec, err := it.Columns()
		if err != nil {
			return xlsxError(err)
		}
		if err := t.add(rec); err != nil {
			return err
		}
	}
	if err := it.Error(); err != nil {
		return xlsxError(err)
	}
	return nil
}

// xlsxError words what excelize could not read: a row numbered past
// Excel's last row is past ours too.
func xlsxError(err error) error {
	if errors.Is(err, excelize.ErrMaxRows) {
		return &TableLimitError{Kind: LimitRows, Limit: MaxImportRows}
	}
	return fmt.Errorf("%w: %v", ErrNotTable, err)
}

// table hands the rows of a file to a row function within the bounds of
// an import.
type table struct {
	ctx   context.Context
	f     func(n int, row []string) error
	rows  int        // rows read so far
	cells int        // cells read so far
	bytes int        // bytes of text in the cells read so far, blank ones included
	text  *TextError // cells holding characters no person types, if any
}

// TextError is a file refused for cells that hold characters no person
// types (see i18n.Typeable): control characters, which come along when
// text is pasted from another program or written by another program, and
// in an XLSX file also the _x0000_ escapes Excel writes for them. A unit
// name or code holding them would be kept and shown on every page, and
// PostgreSQL cannot store a NUL byte at all, so no such cell is let
// through. It wraps ErrNotTable, so a caller that does not word it says
// the file cannot be read.
type TextError struct {
	Cell  string // the first such cell, as Excel names it: "B2"
	Count int    // how many cells hold such characters
}

func (e *TextError) Error() string {
	return fmt.Sprintf("%v: %d cells, the first %s, hold control characters", ErrNotTable, e.Count, e.Cell)
}

// Unwrap makes errors.Is(err, ErrNotTable) hold.
func (e *TextError) Unwrap() error { return ErrNotTable }

// MsgID names the message that tells a person which cells to retype. It
// is plural by Count and takes Cell.
func (e *TextError) MsgID() string { return "indicators.import.error.characters" }

// add hands over one row, its cells trimmed and the blank ones at its end
// left out, so that a row costs what its cells hold and no more.
func (t *table) add(rec []string) error {
	t.rows++
	n := t.rows
	if n > MaxImportRows {
		return &TableLimitError{Kind: LimitRows, Limit: MaxImportRows}
	}
	if n%ctxCheckEvery == 0 {
		if err := t.ctx.Err(); err != nil {
			return err
		}
	}
	for _, c := range rec {
		t.bytes += len(c)
	}
	if t.bytes > MaxImportText {
		return &TableLimitError{Kind: LimitText, Limit: MaxImportText >> 20}
	}
	row := trimCells(rec)
	if len(row) > MaxImportColumns {
		return &TableLimitError{Kind: LimitColumns, Limit: MaxImportColumns, Row: n}
	}
	t.cells += len(row)
	if t.cells > MaxImportCells {
		return &TableLimitError{Kind: LimitCells, Limit: MaxImportCells}
	}
	for i, c := range row {
		if i18n.Typeable(c) {
			continue
		}
		if t.text == nil {
			name, _ := excelize.CoordinatesToCellName(i+1, n)
			t.text = &TextError{Cell: name}
		}
		t.text.Count++
	}
	return t.f(n, row)
}

// sniffComma picks the separator that the header line uses most.
func sniffComma(data []byte) byte {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := byte(','), bytes.Count(line, []byte(","))
	for _, c := range []byte{';', '\t'} {
		if k := bytes.Count(line, []byte{c}); k > n {
			best, n = c, k
		}
	}
	return best
}

// trimCells returns rec's cells without surrounding space, in a slice of
// its own just long enough for the last cell that is not blank.
func trimCells(rec []string) []string {
	last := len(rec) - 1
	for last >= 0 && strings.TrimSpace(rec[last]) == "" {
		last--
	}
	if last < 0 {
		return nil
	}
	out := make([]string, last+1)
	for i := range out {
		out[i] = strings.TrimSpace(rec[i])
	}
	return out
}

// header maps folded header names to column indexes.
type header map[string]int

func headerOf(row []string) header {
	h := header{}
	for i, c := range row {
		h[i18n.Fold(c)] = i
	}
	return h
}

// cell returns the cell of row under the first of names the header has.
func (h header) cell(row []string, names ...string) string {
	for _, n := range names {
		if i, ok := h[n]; ok && i < len(row) {
			return row[i]
		}
	}
	return ""
}

func (h header) has(names ...string) bool {
	for _, n := range names {
		if _, ok := h[n]; ok {
			return true
		}
	}
	return false
}

// RowError is one problem of an imported file, for a row-by-row report in
// the reader's language: the row as Excel numbers it, the column's heading,
// the value found, and the message ID that says what is wrong. The imports
// return at most MaxRowErrors+1 of them, in the order of their rows: more
// than MaxRowErrors means that the file has more, unchecked.
type RowError struct {
	Row    int
	Column string
	Value  string
	MsgID  string
	Other  int    // the first row, for a duplicate
	Ref    string // another column the message names: the denominator a numerator exceeds
}

func (e RowError) Error() string {
	return fmt.Sprintf("row %d, %s %q: %s", e.Row, e.Column, e.Value, e.MsgID)
}

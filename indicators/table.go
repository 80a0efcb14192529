package indicators

import (
	"digiportal/i18n"

	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// MaxImportRows bounds the rows one file may hold, so a hostile or mistaken
// upload cannot exhaust memory. The whole country's unit list before 2025
// has about 10,600 rows.
const MaxImportRows = 50000

// ErrNotTable means an uploaded file is neither CSV nor XLSX that can be read.
var ErrNotTable = errors.New("not a readable CSV or XLSX file")

// readTable reads the first sheet of an XLSX file, or a CSV file in UTF-8
// with or without a byte-order mark, separated by commas, semicolons or
// tabs (Excel writes semicolons in some locales), into rows of cells with
// surrounding space trimmed. Blank rows are kept as empty slices so that
// row numbers match what a person sees in Excel.
func readTable(data []byte) ([][]string, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return readXLSX(data)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: the text is not UTF-8", ErrNotTable)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffComma(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotTable, err)
		}
		if len(rows) >= MaxImportRows {
			return nil, fmt.Errorf("%w: more than %d rows", ErrNotTable, MaxImportRows)
		}
		rows = append(rows, trimCells(rec))
	}
	return rows, nil
}

func readXLSX(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 32 << 20})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotTable, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%w: no sheet", ErrNotTable)
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotTable, err)
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) >= MaxImportRows {
			return nil, fmt.Errorf("%w: more than %d rows", ErrNotTable, MaxImportRows)
		}
		rec, err := it.Columns()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotTable, err)
		}
		rows = append(rows, trimCells(rec))
	}
	return rows, nil
}

// sniffComma picks the separator that the header line uses most.
func sniffComma(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := ',', bytes.Count(line, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if k := bytes.Count(line, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

func trimCells(rec []string) []string {
	out := make([]string, len(rec))
	for i, c := range rec {
		out[i] = strings.TrimSpace(c)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
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
// the value found, and the message ID that says what is wrong.
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

package server

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// csvWriter is the portal's one CSV writer, for every export: RFC 4180
// (commas, quotes where needed, CRLF), a UTF-8 byte order mark first so
// that Excel reads Vietnamese, and no cell that a spreadsheet would run as
// a formula. Names in exports come from admin-editable definitions, unit
// imports and fee catalogues, so a name such as "=HYPERLINK(…)" must reach
// the spreadsheet as text.
type csvWriter struct {
	cw *csv.Writer
}

// newCSVWriter starts a CSV document on w.
func newCSVWriter(w io.Writer) (*csvWriter, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &csvWriter{cw: cw}, nil
}

// Write writes one record, each cell made safe with csvCell.
func (c *csvWriter) Write(rec []string) error {
	safe := make([]string, len(rec))
	for i, s := range rec {
		safe[i] = csvCell(s)
	}
	return c.cw.Write(safe)
}

// Flush writes what is buffered and reports any error of the document.
func (c *csvWriter) Flush() error {
	c.cw.Flush()
	return c.cw.Error()
}

// csvCell keeps a text cell from being read as a formula: one that starts
// with = + - @ or a tab or carriage return gets a leading apostrophe, which
// spreadsheets show as text. Numbers, negative ones included, stay numbers.
func csvCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

// sendCSV answers with a CSV download named name (".csv" added) holding
// rows, the first being the header. Exports are never cached: they may
// hold what only the signed-in official may see.
func sendCSV(w http.ResponseWriter, name string, rows [][]string) error {
	startCSV(w, name)
	cw, err := newCSVWriter(w)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// startCSV sets the headers of a CSV download named name (".csv" added).
func startCSV(w http.ResponseWriter, name string) {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	h.Set("Cache-Control", "no-store")
}

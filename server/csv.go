package server

import (
	"net/http"

	"digiportal/server/export"
)

// Every download goes through package export: one CSV writer (RFC 4180,
// quoted text, a byte order mark, CRLF) and one XLSX writer (streamed),
// both typed so that codes stay text and numbers stay numbers, and both
// keeping every text cell from running as a formula. Names in exports come
// from admin-editable definitions, unit imports and fee catalogues, so a
// name such as "=HYPERLINK(…)" must reach the spreadsheet as text.

// sendCSV answers with a CSV download named name (".csv" added) holding
// rows, the first being the header. Exports are never cached: they may
// hold what only the signed-in official may see.
func sendCSV(w http.ResponseWriter, name string, rows [][]export.Cell) error {
	startCSV(w, name)
	cw := export.NewCSV(w)
	for _, r := range rows {
		if err := cw.Row(r); err != nil {
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

// sendXLSX answers with the workbook wb as a download named name (".xlsx"
// added), never cached.
func sendXLSX(w http.ResponseWriter, name string, wb *export.Workbook) error {
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
	h.Set("Cache-Control", "no-store")
	_, err := wb.WriteTo(w)
	return err
}

package server

import (
	"bytes"
	"encoding/csv"
	"net/http/httptest"
	"testing"

	"digiportal/server/export"
)

// TestSendCSV: a byte order mark, CRLF line ends, quotes where a cell holds
// a comma, formulas neutralised, no caching.
func TestSendCSV(t *testing.T) {
	rec := httptest.NewRecorder()
	rows := [][]export.Cell{export.Texts("Mã", "Tên"), export.Texts("26506", "=1+1"), {export.Int(1), export.Text("a, b")}}
	if err := sendCSV(rec, "x", rows); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.Bytes()
	if !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Error("no byte order mark")
	}
	if !bytes.Contains(body, []byte("\r\n")) || !bytes.Contains(body, []byte(`"26506"`)) {
		t.Error("lines do not end in CRLF, or a code is not quoted")
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[1][1]; got != "'=1+1" {
		t.Errorf("formula cell came out as %q", got)
	}
	if got := recs[2][1]; got != "a, b" {
		t.Errorf("cell with a comma came out as %q", got)
	}
	h := rec.Header()
	if h.Get("Cache-Control") != "no-store" || h.Get("Content-Disposition") != `attachment; filename="x.csv"` {
		t.Errorf("headers %v", h)
	}
}

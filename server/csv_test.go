package server

import (
	"bytes"
	"encoding/csv"
	"net/http/httptest"
	"testing"
)

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"=SUM(A1)": "'=SUM(A1)", "+84 90": "'+84 90", "@x": "'@x", "-x": "'-x", "\tA": "'\tA", "\rA": "'\rA",
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"-5":                       "-5", "+1.5": "+1.5", "Phí": "Phí", "": "", "26506": "26506",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSendCSV: a byte order mark, CRLF line ends, quotes where a cell holds
// a comma, formulas neutralised, no caching.
func TestSendCSV(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := sendCSV(rec, "x", [][]string{{"Mã", "Tên"}, {"26506", "=1+1"}, {"1", "a, b"}}); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.Bytes()
	if !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Error("no byte order mark")
	}
	if !bytes.Contains(body, []byte("\r\n")) {
		t.Error("lines do not end in CRLF")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[1][1]; got != "'=1+1" {
		t.Errorf("formula cell came out as %q", got)
	}
	if got := rows[2][1]; got != "a, b" {
		t.Errorf("cell with a comma came out as %q", got)
	}
	h := rec.Header()
	if h.Get("Cache-Control") != "no-store" || h.Get("Content-Disposition") != `attachment; filename="x.csv"` {
		t.Errorf("headers %v", h)
	}
}

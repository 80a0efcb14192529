// Package export writes the portal's downloads: every CSV and XLSX file an
// official or a visitor can download goes through it, so that they all
// read the same way and none carries a formula.
//
// A table is rows of typed cells: text, a whole number, a decimal, a
// percentage, or empty (a missing value: never a word in its place).
//
//   - CSV: RFC 4180 with commas and CRLF, a UTF-8 byte order mark so that
//     Excel reads Vietnamese, every text cell in quotes (codes and months
//     such as "26506" or "2026-11" are text and quoted as such, so that a
//     program reading RFC 4180 keeps them as text), numbers bare with a dot
//     for decimals, a percentage as its number. Excel opening a CSV by
//     itself still guesses types from what a cell looks like, quotes or not
//     (a month becomes a date, "00004" loses its zeros): the XLSX beside
//     every CSV is the file for Excel.
//   - XLSX: written by excelize's StreamWriter, a row at a time, so memory
//     stays bounded whatever the rows; text cells are strings (a code keeps
//     its leading zeros and is never a number), numbers have formats with
//     thousands separators, percentages are fractions shown as %, and a
//     first sheet says what the file is.
//
// In both, a text cell that starts with = + - @, a tab or a carriage return
// gets a leading apostrophe, so that a spreadsheet shows it and never runs
// it: names come from admin-editable definitions, unit imports and fee
// catalogues. Numbers, negative ones included, are cells of their own kind
// and stay numbers.
package export

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
)

// Kind is what a cell holds.
type Kind int

const (
	KindEmpty Kind = iota
	KindText
	KindInt
	KindDecimal // one decimal place
	KindPercent // a percentage in percent (61.5 means 61.5 %)
)

// Cell is one value of a table.
type Cell struct {
	Kind Kind
	Text string
	Num  float64
}

// Text is a text cell (a name, a code, a month).
func Text(s string) Cell { return Cell{Kind: KindText, Text: s} }

// Int is a whole number.
func Int(n int64) Cell { return Cell{Kind: KindInt, Num: float64(n)} }

// Decimal is a number shown with one decimal place; NaN is empty.
func Decimal(f float64) Cell {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Cell{}
	}
	return Cell{Kind: KindDecimal, Num: f}
}

// Percent is a percentage given in percent (61.5 for 61.5 %); NaN is
// empty, as a rate that cannot be computed is missing, not zero.
func Percent(f float64) Cell {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Cell{}
	}
	return Cell{Kind: KindPercent, Num: f}
}

// Empty is a missing value.
func Empty() Cell { return Cell{} }

// Texts makes a row of text cells.
func Texts(ss ...string) []Cell {
	out := make([]Cell, len(ss))
	for i, s := range ss {
		out[i] = Text(s)
	}
	return out
}

// Safe keeps a text from being read as a formula: one that starts with
// = + - @ or a tab or carriage return gets a leading apostrophe.
func Safe(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	return "'" + s
}

// CSV writes a CSV document.
type CSV struct {
	w   *bufio.Writer
	err error
}

// NewCSV starts a CSV document on w with its byte order mark.
func NewCSV(w io.Writer) *CSV {
	c := &CSV{w: bufio.NewWriter(w)}
	_, c.err = c.w.WriteString("\ufeff")
	return c
}

// Row writes one record.
func (c *CSV) Row(cells []Cell) error {
	if c.err != nil {
		return c.err
	}
	for i, cell := range cells {
		if i > 0 {
			c.w.WriteByte(',')
		}
		switch cell.Kind {
		case KindText:
			c.w.WriteByte('"')
			c.w.WriteString(strings.ReplaceAll(Safe(cell.Text), `"`, `""`))
			c.w.WriteByte('"')
		case KindInt:
			c.w.WriteString(strconv.FormatFloat(math.Round(cell.Num), 'f', 0, 64))
		case KindDecimal, KindPercent:
			c.w.WriteString(strconv.FormatFloat(cell.Num, 'f', 1, 64))
		}
	}
	_, c.err = c.w.WriteString("\r\n")
	return c.err
}

// Flush writes what is buffered and reports any error of the document.
func (c *CSV) Flush() error {
	if c.err != nil {
		return c.err
	}
	return c.w.Flush()
}

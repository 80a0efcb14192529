package indicators

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html/charset"
)

// What reading an XLSX file may cost besides its cells. excelize (v2.11)
// unpacks every part of the file when it opens it: a worksheet or the
// shared strings larger than xlsxStreamedPart into a temporary file that it
// reads as a stream, every other part into memory, where a part costs up to
// three times its size while it is read. Parts it parses whole (workbook,
// styles, shared strings under xlsxStreamedPart) grow again as structures.
const (
	// xlsxUnzipLimit bounds the file unpacked: a sheet at the cell limit
	// is about 40 MB of XML.
	xlsxUnzipLimit = 64 << 20
	// xlsxStreamedPart is excelize's UnzipXMLSizeLimit.
	xlsxStreamedPart = 1 << 20
	// xlsxInMemoryLimit bounds the parts excelize holds in memory. A
	// template downloaded from the portal has 20 KB of them.
	xlsxInMemoryLimit = 8 << 20
	// xlsxTokenLimit bounds one piece of XML (a tag with its attributes, a
	// run of text): a cell holds at most 32,767 characters, 128 KiB in
	// UTF-8. encoding/xml builds a whole start tag at once, and a tag of a
	// million attributes is hundreds of megabytes of them.
	xlsxTokenLimit = 256 << 10
	// xlsxCellText bounds the text of one string of the file, shared or
	// inline, all its runs together: a cell holds at most 32,767
	// characters. excelize joins a string's runs into one text for each
	// cell that names it, so a string of many runs of xlsxTokenLimit would
	// cost megabytes per cell before a row is handed over.
	xlsxCellText = 128 << 10
	// xlsxCopyBelow is the size under which the file is handed to excelize
	// in memory, which copies it; a larger one goes through a temporary
	// file, which excelize reads in place.
	xlsxCopyBelow = 1 << 20
)

// openXLSX opens an XLSX file that checkXLSX has passed.
func openXLSX(data []byte) (*excelize.File, error) {
	opts := excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxStreamedPart}
	if len(data) < xlsxCopyBelow {
		f, err := excelize.OpenReader(bytes.NewReader(data), opts)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotTable, err)
		}
		return f, nil
	}
	tmp, err := os.CreateTemp("", "portal-import-*.xlsx")
	if err != nil {
		return nil, fmt.Errorf("indicators.openXLSX: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("indicators.openXLSX: %w", err)
	}
	f, err := excelize.OpenFile(tmp.Name(), opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotTable, err)
	}
	return f, nil
}

// checkXLSX reads every part of an XLSX file the way excelize's row reader
// reads a worksheet, and refuses the file before excelize opens it when a
// cell with something in it lies past MaxImportColumns (or a row holds
// more such cells), when the file has more than MaxImportCells cells or
// MaxImportStrings shared strings, or when it would cost more than the
// bounds above. Every part is read, not only the first sheet: which part
// that is takes the workbook's relationships to know, and a part read by
// mistake for another would let a wide sheet through. Reading streams each
// part, so the check costs a few kilobytes whatever the file holds.
func checkXLSX(ctx context.Context, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotTable, err)
	}
	var unpacked, inMemory uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		if size > xlsxUnzipLimit || unpacked+size > xlsxUnzipLimit {
			return &TableLimitError{Kind: LimitXLSX, Limit: xlsxUnzipLimit >> 20}
		}
		unpacked += size
		if !streamedByExcelize(f) {
			if inMemory += size; inMemory > xlsxInMemoryLimit {
				return &TableLimitError{Kind: LimitOther, Limit: xlsxInMemoryLimit >> 20}
			}
		}
	}
	s := sheetScan{ctx: ctx}
	for _, f := range zr.File {
		if err := s.part(f); err != nil {
			return err
		}
	}
	return nil
}

// streamedByExcelize tells the parts excelize unpacks into a temporary
// file (see ReadZipReader) from those it holds in memory.
func streamedByExcelize(f *zip.File) bool {
	name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
	return f.UncompressedSize64 > xlsxStreamedPart && !f.FileInfo().IsDir() &&
		(name == "xl/sharedstrings.xml" || strings.HasPrefix(name, "xl/worksheets/sheet"))
}

// sheetScan counts what excelize would read of a file's worksheets.
type sheetScan struct {
	ctx            context.Context
	cells, strings int // <c> and <si> elements of the whole file
}

// part reads one part of the file. A part that is not XML, or stops being
// XML, ends where excelize's reader would stop reading it too: both decode
// with encoding/xml and the same character sets. A piece of XML longer
// than xlsxTokenLimit makes the file unreadable.
func (s *sheetScan) part(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotTable, err)
	}
	defer rc.Close()
	in := &tokenBound{r: rc, allowed: xlsxTokenLimit}
	d := xml.NewDecoder(in)
	d.CharsetReader = charset.NewReaderLabel
	var (
		row, col int  // the row as Excel numbers it, and the column of the cell being read
		kept     int  // the cells of the row that have a value
		inCell   bool // inside a <c>
		valued   bool // the <c> has a value or formula, which excelize keeps
		inText   bool // inside a string: <si>, or <is> in a cell
		text     int  // the bytes of that string's text so far
	)
	for {
		// RawToken reads on where Token would stop at a mismatched end
		// tag, so it counts at least what excelize reads.
		tok, err := d.RawToken()
		if in.hit {
			return fmt.Errorf("%w: %s holds a piece of XML longer than %d bytes", ErrNotTable, f.Name, xlsxTokenLimit)
		}
		if err != nil {
			return nil
		}
		in.allowed = d.InputOffset() + xlsxTokenLimit
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
				if s.cells%ctxCheckEvery == 0 {
					if err := s.ctx.Err(); err != nil {
						return err
					}
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
				if t.Name.Local == "is" {
					inText, text = true, 0
				}
				if !inCell || valued {
					break
				}
				valued = true
				if kept++; col > MaxImportColumns || kept > MaxImportColumns {
					return &TableLimitError{Kind: LimitColumns, Limit: MaxImportColumns, Row: row}
				}
			case "si":
				inText, text = true, 0
				if s.strings++; s.strings > MaxImportStrings {
					return &TableLimitError{Kind: LimitStrings, Limit: MaxImportStrings}
				}
			}
		case xml.CharData:
			if !inText {
				break
			}
			if text += len(t); text > xlsxCellText {
				return fmt.Errorf("%w: %s holds a string longer than %d bytes", ErrNotTable, f.Name, xlsxCellText)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "c":
				inCell = false
			case "si", "is":
				inText = false
			}
		}
	}
}

// errTokenTooLong stops a part's decoder at a piece of XML past the bound.
var errTokenTooLong = errors.New("a piece of XML past the bound")

// tokenBound hands a decoder no more than allowed bytes of a part: the
// scan moves allowed on as each token ends, so one token cannot grow past
// xlsxTokenLimit (and the decoder's read-ahead).
type tokenBound struct {
	r       io.Reader
	read    int64
	allowed int64
	hit     bool
}

func (b *tokenBound) Read(p []byte) (int, error) {
	if b.read >= b.allowed {
		b.hit = true
		return 0, errTokenTooLong
	}
	if rest := b.allowed - b.read; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
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

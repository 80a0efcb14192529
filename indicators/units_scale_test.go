package indicators

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/database/dbtest"
)

// longList is a unit list of n communes under the provinces 01 to 09, each
// with a name of 450 characters and no space-free shortcut: the shape of
// the largest list an upload can hold.
func longList(n int, word string) []byte {
	var b bytes.Buffer
	b.WriteString("Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\n")
	name := string([]rune(strings.Repeat(word+" ", 450))[:440])
	for i := range n {
		p := i%9 + 1
		fmt.Fprintf(&b, "Tỉnh Thử %d,%02d,,,\"Xã %s %d\",%05d,Xã\n", p, p, name, i, 40000+i)
	}
	return b.Bytes()
}

// TestUnitImportMemory imports a long list with long names over the demo's
// three years of reports, three times (new, the same again, all renamed),
// and checks that the live heap never grows past a small multiple of the
// file. Roll-ups held densely (every unit × month × element) took over a
// hundred megabytes here, and a country's list some 1,300.
func TestUnitImportMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 6,000 units three times")
	}
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		const n = 6000
		for i, data := range [][]byte{longList(n, "Thôn"), longList(n, "Thôn"), longList(n, "Làng")} {
			f := &UnitFile{Kind: UnitList, Day: ReorgDay, Name: "long.csv", Data: data}
			size := uint64(len(data))
			var res UnitFileResult
			var rows []RowError
			var err error
			peak := peakLive(func() { res, rows, err = ImportUnitFile(ctx, db, testAdmin, f, time.Now()) })
			if err != nil || len(rows) > 0 {
				t.Fatalf("import %d: %v %v", i, err, rows)
			}
			if f.Data != nil {
				t.Errorf("import %d kept the file's bytes", i)
			}
			u := res.Units
			if u.Created+u.Changed+u.Unchanged < n {
				t.Errorf("import %d: %+v, want %d communes", i, u, n)
			}
			// The file itself is not counted (the test holds it); what
			// the import keeps is the list, a little over the file.
			if limit := 3*size + 16<<20; peak > limit {
				t.Errorf("import %d of a %d kB list: live heap grew %d MB, want at most %d MB", i, size>>10, peak>>20, limit>>20)
			}
			t.Logf("import %d (%d kB): %+v, peak live heap +%d MB", i, size>>10, u, peak>>20)
		}
		// The roll-ups written a few months at a time are those of one go.
		var got, want []rollupRow
		h, err := rollupsFresh(ctx, db, Today(time.Now()))
		if err != nil || h == "" {
			t.Fatalf("today's hierarchy is not stored: %q, %v", h, err)
		}
		if err := db.NewSelect().Model(&got).Where("hierarchy = ?", h).Order("unit_id", "period", "element_id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		g, err := loadGraph(ctx, db, Today(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		c, err := compute(ctx, db, g, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range keysByIndex(c.units) {
			for _, p := range keysByIndexS(c.periods) {
				for _, e := range keysByIndex(c.elems) {
					if cell := c.Cell(u, p, e); cell != (Cell{}) {
						want = append(want, rollupRow{UnitID: u, Period: p, ElementID: e, Approved: cell.Approved, Counted: cell.Counted, ApprovedNC: cell.ApprovedNC, CountedNC: cell.CountedNC})
					}
				}
			}
		}
		if len(got) == 0 || len(got) != len(want) {
			t.Fatalf("stored roll-ups: %d cells, computed at once: %d", len(got), len(want))
		}
		index := map[[3]any]rollupRow{}
		for _, r := range want {
			index[[3]any{r.UnitID, r.Period, r.ElementID}] = r
		}
		for _, r := range got {
			w, ok := index[[3]any{r.UnitID, r.Period, r.ElementID}]
			if !ok || w.ApprovedNC != r.ApprovedNC || w.CountedNC != r.CountedNC ||
				abs(w.Approved-r.Approved) > 1e-6 || abs(w.Counted-r.Counted) > 1e-6 {
				t.Fatalf("stored %+v, computed %+v", r, w)
			}
		}
	})
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// TestConcurrentUnitImports runs three imports of overlapping lists at
// once, as three admins (or two instances on one database) may. Each
// finishes or is refused as busy, none fails otherwise, and the units are
// as after one import: each code has one version valid on the day.
func TestConcurrentUnitImports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		lists := [][]byte{longList(300, "Thôn"), longList(300, "Thôn"), longList(400, "Làng")}
		var wg sync.WaitGroup
		errs := make([]error, len(lists))
		for i, data := range lists {
			wg.Go(func() {
				f := &UnitFile{Kind: UnitList, Day: ReorgDay, Name: "list.csv", Data: data}
				_, rows, err := ImportUnitFile(ctx, db, testAdmin, f, time.Now())
				if err == nil && len(rows) > 0 {
					err = fmt.Errorf("row problems: %v", rows)
				}
				errs[i] = err
			})
		}
		wg.Wait()
		done := 0
		for i, err := range errs {
			switch {
			case err == nil:
				done++
			case errors.Is(err, database.ErrBusy):
				t.Logf("import %d refused as busy: %v", i, err)
			default:
				t.Errorf("import %d: %v, want success or database.ErrBusy", i, err)
			}
		}
		if done == 0 {
			t.Fatal("no import finished")
		}
		var dup []string
		if err := db.NewSelect().TableExpr("org_units").Column("code").
			Where("valid_from <= ? AND valid_to > ?", ReorgDay, ReorgDay).
			Group("code").Having("count(*) > 1").Scan(ctx, &dup); err != nil {
			t.Fatal(err)
		}
		if len(dup) > 0 {
			t.Errorf("codes with two versions valid on %s after concurrent imports: %v", ReorgDay, dup)
		}
	})
}

// TestReadingStopsWithTheRequest reads files at the bounds with a context
// that has ended: the reading stops with the context's error instead of
// going on for seconds.
func TestReadingStopsWithTheRequest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var csvFile bytes.Buffer
	csvFile.WriteString("Mã đơn vị,Kỳ,HH_TOTAL\n")
	for i := range 5000 {
		fmt.Fprintf(&csvFile, "%05d,2025-01,%d\n", i, i)
	}
	rows := 0
	err := eachRow(ctx, csvFile.Bytes(), func(int, []string) error { rows++; return nil })
	if !errors.Is(err, context.Canceled) || rows >= 5000 {
		t.Errorf("CSV with an ended context: %v after %d rows, want context.Canceled before the end", err, rows)
	}
	rows = 0
	var sheet strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&sheet, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>%05d</t></is></c><c r="B%d"><v>%d</v></c></row>`, i+1, i+1, i, i+1, i)
	}
	err = eachRow(ctx, xlsxOf(t, sheet.String()), func(int, []string) error { rows++; return nil })
	if !errors.Is(err, context.Canceled) || rows > 0 {
		t.Errorf("XLSX with an ended context: %v after %d rows, want context.Canceled before any row", err, rows)
	}
	if _, _, err := ParseUnitList(ctx, longList(3000, "Thôn")); !errors.Is(err, context.Canceled) {
		t.Errorf("ParseUnitList with an ended context: %v, want context.Canceled", err)
	}
}

// TestHeadingOnly: a file with its heading and no rows is a problem, not
// an import that changed nothing.
func TestHeadingOnly(t *testing.T) {
	ctx := t.Context()
	for name, parse := range map[string]func([]byte) []RowError{
		"units":   func(b []byte) []RowError { _, e, _ := ParseUnitList(ctx, b); return e },
		"mapping": func(b []byte) []RowError { _, e, _ := ParseMappings(ctx, b); return e },
		"values": func(b []byte) []RowError {
			_, e, _ := ParseValueFile(ctx, b, []Element{{ID: 1, Code: "HH_TOTAL", Source: SourceEntered}})
			return e
		},
	} {
		head := map[string]string{
			"units":   "Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\n",
			"mapping": "Mã cũ,Mã mới,Loại,Tỷ lệ\n",
			"values":  "Mã đơn vị,Kỳ,HH_TOTAL\n",
		}[name]
		for _, data := range []string{head, head + "\n,,,\n"} {
			if errs := parse([]byte(data)); len(errs) != 1 || errs[0].MsgID != "indicators.import.error.no_rows" {
				t.Errorf("%s with only a heading (%q): %+v, want one no_rows problem", name, data, errs)
			}
		}
	}
}

// TestCodeAloneLinksNothing: a later list that gives a code to a unit of
// another name (a reused code, or a rename) makes no successor link by
// itself; a unit that kept its name and only moved under another parent
// carries its figures on.
func TestCodeAloneLinksNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := t.Context()
		before := "Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\n" +
			"Tỉnh Yên Thử,15,Huyện Một,151,Xã Cũ,90001,Xã\n" +
			"Tỉnh Yên Thử,15,Huyện Một,151,Xã Giữ Tên,90002,Xã\n"
		after := "Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\n" +
			"Tỉnh Lào Thử,15,,,Xã Mới,90001,Xã\n" +
			"Tỉnh Lào Thử,15,,,Xã Giữ Tên,90002,Xã\n"
		if _, rows, err := ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: UnitList, Day: "2020-01-01", Data: []byte(before)}, time.Now()); err != nil || len(rows) > 0 {
			t.Fatal(err, rows)
		}
		res, rows, err := ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: UnitList, Day: ReorgDay, Data: []byte(after)}, time.Now())
		if err != nil || len(rows) > 0 {
			t.Fatal(err, rows)
		}
		// The province and Xã Cũ renamed; Xã Giữ Tên moved.
		if res.Units.Renamed != 2 || res.Units.Changed != 3 {
			t.Errorf("import: %+v, want 3 changed of which 2 renamed", res.Units)
		}
		for code, want := range map[string]int{"15": 0, "90001": 0, "90002": 1} {
			old, err := UnitByCode(ctx, db, code, "2025-06-30")
			if err != nil {
				t.Fatal(err)
			}
			ss, err := SuccessorsOf(ctx, db, old.ID)
			if err != nil || len(ss) != want {
				t.Errorf("%s: %d successor links (%v), want %d", code, len(ss), err, want)
			}
		}
	})
}

// TestImportDays: a list imported first with a later day (its publication
// day) and then with the day it took effect makes one version per unit,
// valid from the earlier day, not a second one with nothing linking the
// two; a dry run says what an import would change and keeps nothing.
func TestImportDays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := t.Context()
		list := longList(30, "Thôn")
		dry := &UnitFile{Kind: UnitList, Day: "2025-03-01", Data: list, DryRun: true}
		res, rows, err := ImportUnitFile(ctx, db, testAdmin, dry, time.Now())
		if err != nil || len(rows) > 0 || !res.DryRun || res.Units.Created != 39 {
			t.Fatalf("dry run: %+v %v %v, want 39 to create", res, rows, err)
		}
		var n int64
		if n, err = db.NewSelect().Model((*Unit)(nil)).Count(ctx); err != nil || n != 0 {
			t.Fatalf("a dry run left %d units (%v)", n, err)
		}
		if got := audits(t, db, "indicators.units_import"); len(got) != 0 {
			t.Errorf("a dry run was audited: %+v", got)
		}
		for _, day := range []string{"2025-03-01", "2020-01-01"} {
			res, rows, err := ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: UnitList, Day: day, Data: list}, time.Now())
			if err != nil || len(rows) > 0 {
				t.Fatal(err, rows)
			}
			if day == "2020-01-01" && (res.Units.Extended != 39 || res.Units.Created != 0) {
				t.Errorf("the same list for an earlier day: %+v, want 39 extended, none created", res.Units)
			}
		}
		var versions []struct {
			Code string `bun:"code"`
			N    int    `bun:"n"`
			From string `bun:"f"`
		}
		if err := db.NewSelect().TableExpr("org_units").ColumnExpr("code, count(*) AS n, min(valid_from) AS f").Group("code").Scan(ctx, &versions); err != nil {
			t.Fatal(err)
		}
		for _, v := range versions {
			if v.N != 1 || v.From != "2020-01-01" {
				t.Errorf("code %s: %d versions from %s, want one from 2020-01-01", v.Code, v.N, v.From)
			}
		}
	})
}

// TestUnchangedImportRebuildsNothing: a file that changes nothing leaves
// the stored roll-ups (and the data's change time the API reports) alone.
func TestUnchangedImportRebuildsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := t.Context()
		seeded(t, db)
		data, _ := demoFiles.ReadFile(demoAfter)
		mapping, _ := demoFiles.ReadFile(demoMapping)
		before, err := DataChangedAt(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []*UnitFile{{Kind: UnitList, Day: ReorgDay, Complete: true, Data: data}, {Kind: SuccessorMapping, Day: ReorgDay, Data: mapping}} {
			res, rows, err := ImportUnitFile(ctx, db, testAdmin, f, time.Now().Add(time.Hour))
			if err != nil || len(rows) > 0 || res.Units.Created+res.Units.Changed+res.Mappings.Replaced != 0 {
				t.Fatalf("the demo's own %s again: %+v %v %v", f.Kind, res, rows, err)
			}
		}
		if after, err := DataChangedAt(ctx, db); err != nil || !after.Equal(before) {
			t.Errorf("unchanged files moved the data's change time from %v to %v (%v): the roll-ups were rebuilt", before, after, err)
		}
	})
}

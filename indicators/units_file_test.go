package indicators

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestImportUnitFile: a list and a mapping import with the roll-ups rebuilt
// and an audit line each, a second import changes nothing, and a refused
// kind or day, a file with bad rows, a mapping naming unknown codes and a
// file that is no table change nothing.
func TestImportUnitFile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := SeedDefinitions(ctx, db); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		list, err := demoFiles.ReadFile(demoBefore)
		if err != nil {
			t.Fatal(err)
		}
		counts := func() [3]int64 {
			t.Helper()
			var out [3]int64
			for i, model := range []any{(*Unit)(nil), (*Successor)(nil), (*rollupRow)(nil)} {
				n, err := db.NewSelect().Model(model).Count(ctx)
				if err != nil {
					t.Fatal(err)
				}
				out[i] = n
			}
			return out
		}
		empty := counts()
		for _, c := range []struct {
			name string
			f    UnitFile
			rows int // row problems expected
			want []any
			not  error
		}{
			{"an unknown kind", UnitFile{Kind: "people", Day: "2020-01-01", Data: list}, 0, []any{"kind", ErrUnitFileKind}, nil},
			{"no day", UnitFile{Kind: UnitList, Day: "2020-1-1", Data: list}, 0, []any{"day", ErrBadDay}, nil},
			{"a bad code", UnitFile{Kind: UnitList, Day: "2020-01-01", Data: []byte("Tỉnh Thành Phố,Mã TP\nTỉnh A,7\n")}, 1, nil, nil},
			{"an unknown old code", UnitFile{Kind: SuccessorMapping, Day: ReorgDay, Data: []byte("Mã cũ,Mã mới,Loại,Tỷ lệ\n99998,99999,toàn bộ,\n")}, 1, nil, nil},
			{"not a table", UnitFile{Kind: UnitList, Day: "2020-01-01", Data: []byte("PK\x03\x04garbage")}, 0, nil, ErrNotTable},
		} {
			res, rows, err := ImportUnitFile(ctx, db, testAdmin, &c.f, now)
			switch {
			case c.want != nil:
				wantProblems(t, err, c.want...)
			case c.not != nil:
				if !errors.Is(err, c.not) {
					t.Errorf("%s: err %v, want %v", c.name, err, c.not)
				}
			case err != nil || len(rows) != c.rows:
				t.Errorf("%s: %d row problems %v, %v; want %d", c.name, len(rows), rows, err, c.rows)
			}
			if res.Units != (UnitImport{}) || res.Mappings.Replaced != 0 {
				t.Errorf("%s: result %+v, want nothing imported", c.name, res)
			}
			if got := counts(); got != empty {
				t.Errorf("%s: units, mappings, roll-ups = %v, want %v", c.name, got, empty)
			}
		}
		wantAudit(t, db, "indicators.units_import", 0, testAdmin, "", "")

		res, rows, err := ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: UnitList, Day: demoBeforeDay, Name: "list.csv", Data: list}, now)
		if err != nil || len(rows) > 0 || res.Units != (UnitImport{Created: 91}) {
			t.Fatalf("import = %+v, %v, %v; want 91 created", res, rows, err)
		}
		e := wantAudit(t, db, "indicators.units_import", 1, testAdmin, "org_units", "units/"+demoBeforeDay)
		if e.Detail != "list.csv: created=91 changed=0 unchanged=0 closed=0" {
			t.Errorf("audited %q", e.Detail)
		}
		u, err := UnitByCode(ctx, db, "26536", "2024-01-01")
		if err != nil || u.Source != "import list.csv" {
			t.Errorf("an imported unit = %+v, %v; want its source to name the file", u, err)
		}
		if fresh, err := rollupsFresh(ctx, db, Today(now)); err != nil || fresh == "" {
			t.Errorf("roll-ups fresh after the import = %v, %v; want rebuilt", fresh, err)
		}

		after, _ := demoFiles.ReadFile(demoAfter)
		mapping, _ := demoFiles.ReadFile(demoMapping)
		if _, rows, err := ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: UnitList, Day: ReorgDay, Complete: true, Data: after}, now); err != nil || len(rows) > 0 {
			t.Fatalf("import after the reorganisation: %v %v", rows, err)
		}
		res, rows, err = ImportUnitFile(ctx, db, testSystem, &UnitFile{Kind: SuccessorMapping, Day: ReorgDay, Data: mapping}, now)
		if err != nil || len(rows) > 0 || res.Mappings.Replaced == 0 {
			t.Fatalf("mapping import = %+v, %v, %v", res, rows, err)
		}
		wantAudit(t, db, "indicators.units_import", 3, testSystem, "org_units", "mapping/"+ReorgDay)

		// The same files again change nothing.
		before := counts()
		res, _, err = ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: UnitList, Day: ReorgDay, Complete: true, Data: after}, now)
		if err != nil || res.Units != (UnitImport{Unchanged: 31}) {
			t.Errorf("re-import = %+v, %v; want 31 unchanged", res.Units, err)
		}
		res, _, err = ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: SuccessorMapping, Day: ReorgDay, Data: mapping}, now)
		if err != nil || res.Mappings.Replaced != 0 || res.Mappings.Unchanged == 0 {
			t.Errorf("mapping re-import = %+v, %v; want nothing replaced", res.Mappings, err)
		}
		if got := counts(); got != before {
			t.Errorf("after importing the same files: %v, want %v", got, before)
		}
	})
}

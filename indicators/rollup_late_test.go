package indicators

import (
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestSecondReorganisation: two communes of 1 July 2025 merged on 1
// January 2026 into a new one (old units → 2025 units → the new one, a
// chain across two reorganisations). Every stored hierarchy then equals a
// fresh computation, also the 2025 one in the months after the merge, and
// March 2025's approved figure of the country is the same on every day.
// Before, the import rebuilt only the hierarchies from its day on: the
// 2025 hierarchy still expected February 2026 of both merged communes (30
// units where a fresh count found 28).
func TestSecondReorganisation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := t.Context()
		seeded(t, db)
		now := time.Now()
		els, err := elementIDs(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		march := func(day string) float64 {
			c, err := Rollup(ctx, db, day, []int64{NationID}, []string{"2025-03"})
			if err != nil {
				t.Fatal(err)
			}
			return c.Cell(NationID, "2025-03", els[0]).Approved
		}
		want := march("2025-03-31")
		const merge = "2026-01-01"
		list := "Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\nThành phố Hồ Chí Minh,79,,,Phường Gộp Thử,26999,Phường\n"
		kinds := map[UnitKind]string{KindWard: "Phường", KindCommune: "Xã", KindSpecialZone: "Đặc khu"}
		units, err := UnitsOn(ctx, db, merge)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			if u.Level == 3 && u.Code != "26506" && u.Code != "26521" {
				list += "Thành phố Hồ Chí Minh,79,,," + u.Name + "," + u.Code + "," + kinds[u.Kind] + "\n"
			}
		}
		res, rows, err := ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: UnitList, Day: merge, Data: []byte(list)}, now)
		if err != nil || len(rows) > 0 || res.Units.Created != 1 || res.Units.Closed != 2 {
			t.Fatalf("the list of 2026: %+v %v %v, want one created and two ended", res.Units, rows, err)
		}
		mapping := "Mã cũ,Mã mới,Loại,Tỷ lệ\n26506,26999,toàn bộ,\n26521,26999,toàn bộ,\n"
		res, rows, err = ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: SuccessorMapping, Day: merge, Data: []byte(mapping)}, now)
		if err != nil || len(rows) > 0 || res.Mappings.Replaced != 2 {
			t.Fatalf("the mapping of 2026: %+v %v %v", res.Mappings, rows, err)
		}
		for _, day := range []string{"2025-03-31", "2025-12-31", "2026-06-30", Today(now)} {
			checkRollupsMatch(t, db, day, []string{"2025-03", "2025-11", "2026-01", "2026-02"})
			if got := march(day); got != want {
				t.Errorf("March 2025's approved households on the hierarchy of %s: %v, want %v", day, got, want)
			}
		}
	})
}

package findhelp

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
	"digiportal/indicators"
)

// hanoi is a piece of Hà Nội's list of 1 July 2025, imported beside the
// demo province so that the search spans two provinces.
const hanoi = "Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp,Tên Tiếng Anh\n" +
	"Thành phố Hà Nội,01,,,Phường Ba Đình,00004,Phường,\n" +
	"Thành phố Hà Nội,01,,,Phường Ngọc Hà,00005,Phường,\n" +
	"Thành phố Hà Nội,01,,,Xã Đan Phượng,09619,Xã,\n"

func importList(t *testing.T, db bun.IDB, data string) {
	t.Helper()
	ctx := context.Background()
	list, errs, err := indicators.ParseUnitList(ctx, []byte(data))
	if err != nil || len(errs) > 0 {
		t.Fatalf("the list: %v %v", err, errs)
	}
	if _, err := indicators.ImportUnits(ctx, db, list, indicators.ReorgDay, "test", false); err != nil {
		t.Fatal(err)
	}
}

// TestIndexSearch, on both databases: today's communes and wards are found
// by name however it is typed, with their province, best match first;
// units that no longer exist are not; a search past the bound says how
// many matched; a unit merged away points to its successor; and a unit
// imported later is found at once.
func TestIndexSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := indicators.SeedDemo(ctx, db); err != nil {
			t.Fatal(err)
		}
		importList(t, db, hanoi)
		x := NewIndex(db)
		today := indicators.Today(time.Now())
		search := func(raw string) Result {
			t.Helper()
			q, err := ParseQuery(raw)
			if err != nil {
				t.Fatal(err)
			}
			res, err := x.Search(ctx, q, today)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		for _, raw := range []string{"Phuong Ba Dinh", "phường ba đình", "ba dinh", "BA ĐÌNH", "ba đinh ward", "00004"} {
			res := search(raw)
			if len(res.Places) != 1 || res.Places[0].Unit.Code != "00004" || res.Places[0].ProvinceName(false) != "Thành phố Hà Nội" {
				t.Errorf("%q found %+v, want Phường Ba Đình in Hà Nội", raw, res)
			}
		}
		if res := search("dat do"); len(res.Places) != 1 || res.Places[0].Name(false) != "Xã Đất Đỏ" || res.Places[0].ProvinceName(true) == "" {
			t.Errorf("dat do found %+v", res)
		}
		// "Xã Long Hải" is the name itself; "Xã Long Điền" and others only
		// hold the words: the exact one comes first.
		if res := search("long hai"); len(res.Places) == 0 || res.Places[0].Unit.Code != "26658" {
			t.Errorf("long hai found %+v, want Xã Long Hải first", res)
		}
		if res := search("long"); len(res.Places) < 4 || res.More() {
			t.Errorf("long found %+v, want the Long communes and wards", res)
		}
		// Phường 2 of Vũng Tàu ended on 1 July 2025.
		if res := search("Phường 2"); res.Total != 0 {
			t.Errorf("Phường 2 found %+v, a ward that no longer exists", res)
		}
		if res := search("xa"); res.Total <= MaxResults || len(res.Places) != MaxResults || !res.More() {
			t.Errorf("xa: %d shown of %d, want %d shown and more", len(res.Places), res.Total, MaxResults)
		}
		if res := search("không có nơi nào"); res.Total != 0 || len(res.Places) != 0 {
			t.Errorf("nonsense found %+v", res)
		}
		if p, ok, err := x.Unit(ctx, "26674", today); err != nil || !ok || p.Unit.Name != "Xã Đất Đỏ" || p.ProvinceName(false) != "Thành phố Hồ Chí Minh" {
			t.Errorf("unit 26674: %+v %v %v", p, ok, err)
		}
		for _, code := range []string{"79", "26509", "99999"} {
			if _, ok, err := x.Unit(ctx, code, today); err != nil || ok {
				t.Errorf("unit %s (a province, a ward merged away, none): found %v %v", code, ok, err)
			}
		}
		gone, err := x.Successors(ctx, "26509", today)
		if err != nil || gone.Was.Name != "Phường 2" || len(gone.Now) != 1 || gone.Now[0].Unit.Code != "26506" {
			t.Errorf("successors of Phường 2: %+v %v, want Phường Vũng Tàu", gone, err)
		}
		if gone, err := x.Successors(ctx, "26506", today); err != nil || len(gone.Now) != 0 {
			t.Errorf("successors of a ward valid today: %+v %v", gone, err)
		}
		if gone, err := x.Successors(ctx, "99999", today); err != nil || len(gone.Now) != 0 || gone.Was.Code != "" {
			t.Errorf("successors of a code that never was: %+v %v", gone, err)
		}
		// A unit imported after the index was built is found: the import
		// changed the units' version.
		importList(t, db, hanoi+"Thành phố Hà Nội,01,,,Phường Giảng Võ,00006,Phường,\n")
		if res := search("giang vo"); len(res.Places) != 1 {
			t.Errorf("a ward imported after the first search: %+v", res)
		}
	})
}

package indicators

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
	"digiportal/i18n"
)

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Dịch vụ công", "dich vu cong"},
		{"Đặc khu Côn Đảo", "dac khu con dao"},
		{"  Bà   Rịa  ", "ba ria"},
		{"THỊ TRẤN Ngãi Giao", "thi tran ngai giao"},
		{"Mã PX", "ma px"},
	} {
		if got := i18n.Fold(c.in); got != c.want {
			t.Errorf("i18n.Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestKindOf(t *testing.T) {
	for _, c := range []struct {
		level     int
		cap, name string
		want      UnitKind
		ok        bool
	}{
		{1, "", "Tỉnh Bà Rịa - Vũng Tàu", KindProvince, true},
		{1, "", "Thành phố Hồ Chí Minh", KindMunicipality, true},
		{2, "", "Thành phố Vũng Tàu", KindCity, true},
		{2, "", "Thị xã Phú Mỹ", KindTown, true},
		{2, "", "Huyện Côn Đảo", KindDistrict, true},
		{3, "Thị trấn", "Thị trấn Ngãi Giao", KindTownship, true},
		{3, "", "Xã Long Sơn", KindCommune, true},
		{3, "Đặc khu", "Côn Đảo", KindSpecialZone, true},
		{3, "", "Ấp Bắc", "", false},
	} {
		got, ok := kindOf(c.level, c.cap, c.name)
		if got != c.want || ok != c.ok {
			t.Errorf("kindOf(%d, %q, %q) = %q, %v, want %q, %v", c.level, c.cap, c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestParseUnitList(t *testing.T) {
	data, err := demoFiles.ReadFile(demoBefore)
	if err != nil {
		t.Fatal(err)
	}
	list, errs, err := ParseUnitList(t.Context(), data)
	if err != nil || len(errs) > 0 {
		t.Fatalf("ParseUnitList: %v %v", err, errs)
	}
	var prov, dist, comm int
	for _, u := range list {
		switch u.Kind.Level() {
		case 1:
			prov++
		case 2:
			dist++
		case 3:
			comm++
		}
	}
	if prov != 1 || dist != 8 || comm != 82 {
		t.Errorf("levels = %d/%d/%d, want 1/8/82", prov, dist, comm)
	}
	bad := "\ufeffTỉnh Thành Phố;Mã TP;Quận Huyện;Mã QH;Phường Xã;Mã PX;Cấp\n" +
		"Tỉnh Bà Rịa - Vũng Tàu;77;Huyện Côn Đảo;755;;;\n" +
		"Tỉnh Bà Rịa - Vũng Tàu;7X;Huyện Côn Đảo;755;;;\n" +
		"Tỉnh Bà Rịa - Vũng Tàu;77;Huyện Châu Đức;750;Ấp Mới;26999;Ấp\n"
	list, errs, err = ParseUnitList(t.Context(), []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || len(errs) != 2 || errs[0].Row != 3 || errs[1].Row != 4 || errs[1].Column != "Cấp" {
		t.Errorf("got %d units, errors %+v; want 3 units and errors on rows 3 and 4", len(list), errs)
	}
}

func FuzzParseUnitList(f *testing.F) {
	data, _ := demoFiles.ReadFile(demoAfter)
	f.Add(data)
	f.Add([]byte("Tỉnh Thành Phố,Mã TP\nTỉnh A,01\n"))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, b []byte) {
		list, _, err := ParseUnitList(t.Context(), b)
		if err != nil {
			return
		}
		for _, u := range list {
			if u.Code == "" || (u.ParentCode == "" && u.Kind.Level() != 1) {
				t.Fatalf("unit without code or parent: %+v", u)
			}
		}
	})
}

func FuzzParseMappings(f *testing.F) {
	data, _ := demoFiles.ReadFile(demoMapping)
	f.Add(data)
	f.Add([]byte("Mã cũ,Mã mới,Loại,Tỷ lệ\n26707,26710,một phần,150%\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, _, err := ParseMappings(t.Context(), b)
		if err != nil {
			return
		}
		for _, r := range rows {
			if r.Weight != nil && (*r.Weight <= 0 || *r.Weight > 1) {
				t.Fatalf("weight out of range: %+v", r)
			}
		}
	})
}

// seeded returns a database holding the demo.
func seeded(t *testing.T, db *bun.DB) {
	t.Helper()
	if err := SeedDemo(context.Background(), db); err != nil {
		t.Fatalf("SeedDemo: %v", err)
	}
}

func TestUnitsThroughReorganisation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		before, err := UnitsOn(ctx, db, "2025-06-30")
		if err != nil {
			t.Fatal(err)
		}
		after, err := UnitsOn(ctx, db, "2025-07-01")
		if err != nil {
			t.Fatal(err)
		}
		if len(before) != 91 || len(after) != 31 {
			t.Errorf("units before/after = %d/%d, want 91/31", len(before), len(after))
		}
		old, err := UnitByCode(ctx, db, "26506", "2025-06-30")
		if err != nil {
			t.Fatal(err)
		}
		nu, err := UnitByCode(ctx, db, "26506", "2025-07-01")
		if err != nil {
			t.Fatal(err)
		}
		if old.ID == nu.ID || old.Name != "Phường 1" || nu.Name != "Phường Vũng Tàu" || nu.Path != "/79/26506/" {
			t.Errorf("code 26506: old %+v new %+v", old, nu)
		}
		ss, err := SuccessorsOf(ctx, db, old.ID)
		if err != nil || len(ss) != 1 || ss[0].NewUnitID != nu.ID || !ss[0].Full {
			t.Errorf("successors of old 26506 = %+v, %v", ss, err)
		}
		split, _ := UnitByCode(ctx, db, "26707", "2025-06-30")
		ss, _ = SuccessorsOf(ctx, db, split.ID)
		if len(ss) != 2 || ss[0].Full || ss[0].Weight == nil || *ss[0].Weight != 0.6 {
			t.Errorf("successors of 26707 = %+v, want a 60/40 partial split", ss)
		}
		// The demo seed again (and so the same imports) changes nothing.
		var n1, n2 int64
		n1, _ = db.NewSelect().Model((*Unit)(nil)).Count(ctx)
		seeded(t, db)
		n2, _ = db.NewSelect().Model((*Unit)(nil)).Count(ctx)
		if n1 != n2 {
			t.Errorf("units after a second seed = %d, want %d", n2, n1)
		}
		data, _ := demoFiles.ReadFile(demoAfter)
		list, _, _ := ParseUnitList(ctx, data)
		res, err := ImportUnits(ctx, db, list, ReorgDay, "test", true)
		if err != nil || res != (UnitImport{Unchanged: 31}) {
			t.Errorf("re-import = %+v, %v; want 31 unchanged", res, err)
		}
		data, _ = demoFiles.ReadFile(demoMapping)
		rows, _, _ := ParseMappings(ctx, data)
		mres, err := ImportMappings(ctx, db, rows, ReorgDay)
		if err != nil || mres.Replaced != 0 || mres.Unchanged == 0 {
			t.Errorf("mapping re-import = %+v, %v; want nothing replaced", mres, err)
		}
	})
}

func TestSearchAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		page, err := SearchUnits(ctx, db, "ba ria", "2024-01-01", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range page.Units {
			names = append(names, u.Name)
		}
		if page.Total != 2 || !strings.Contains(strings.Join(names, "|"), "Thành phố Bà Rịa") {
			t.Errorf("search 'ba ria' on 2024-01-01 = %d %v, want the province and the city", page.Total, names)
		}
		page, _ = SearchUnits(ctx, db, "dat do", "2024-01-01", 10, 0)
		if page.Total != 2 {
			t.Errorf("search 'dat do' found %d, want 2 (district and township)", page.Total)
		}
		now := func() time.Time { return time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC) }
		sc := NewScope(db, now)
		for _, c := range []struct {
			unit, scope string
			want        bool
		}{
			{"26734", "79", true},
			{"26506", "26506", true},
			{"79", "26506", false},
			{"26536", "26506", false},
			{"26508", "747", true}, // an old ward judged by its last version
			{"99999", "79", false},
		} {
			got, err := sc.Within(ctx, c.unit, c.scope)
			if err != nil || got != c.want {
				t.Errorf("Within(%s, %s) = %v, %v; want %v", c.unit, c.scope, got, err, c.want)
			}
		}
	})
}

// TestReportingUnits: the units that report below a code are exactly those
// IsReporting says report, on the hierarchy of the period's last day.
func TestReportingUnits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		for _, c := range []struct {
			code   string
			period Period
			want   int
		}{
			{"77", Month(2025, 3), 83}, // 82 communes and Côn Đảo, a district without any
			{"747", Month(2025, 3), 17},
			{"79", Month(2025, 7), 30},
			{"77", Month(2025, 7), 0}, // the province ended on 1 July 2025
			{"26536", Month(2025, 7), 1},
			{"99999", Month(2025, 7), 0},
		} {
			got, err := ReportingUnits(ctx, db, c.code, c.period, 5000)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != c.want {
				t.Errorf("ReportingUnits(%s, %s) = %d units, want %d", c.code, c.period, len(got), c.want)
			}
			reporting := map[string]bool{}
			for _, u := range got {
				reporting[u.Code] = true
			}
			root, err := UnitByCode(ctx, db, c.code, c.period.Day())
			if err != nil {
				continue
			}
			sub, err := Subtree(ctx, db, root, c.period.Day())
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range sub {
				ok, err := IsReporting(ctx, db, &u, c.period)
				if err != nil {
					t.Fatal(err)
				}
				if ok != reporting[u.Code] {
					t.Errorf("%s in %s: IsReporting %v, listed by ReportingUnits %v", u.Code, c.period, ok, reporting[u.Code])
				}
			}
		}
		if got, err := ReportingUnits(ctx, db, "77", Month(2025, 3), 5); err != nil || len(got) != 5 {
			t.Errorf("ReportingUnits with limit 5 = %d units, %v", len(got), err)
		}
	})
}

// TestAreaUnits: the places a business may choose are the communes and
// wards of the portal's province on the day, by name; without a home unit,
// those of the only province the table holds that day.
func TestAreaUnits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		tests := []struct {
			home, day     string
			n             int
			first, prefix string
		}{
			{"79", "2026-12-07", 30, "Đặc khu Côn Đảo", "/79/"},
			{"", "2026-12-07", 30, "Đặc khu Côn Đảo", "/79/"},
			{"", "2025-06-30", 82, "", "/77/"},
			{"79", "2025-06-30", 0, "", ""}, // the city had no units of the demo then
			{"26506", "2026-12-07", 1, "Phường Vũng Tàu", "/79/"},
		}
		for _, tt := range tests {
			if err := setHomeUnit(ctx, db, tt.home); err != nil {
				t.Fatal(err)
			}
			got, err := AreaUnits(ctx, db, tt.day)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.n {
				t.Errorf("home %q on %s: %d areas, want %d", tt.home, tt.day, len(got), tt.n)
				continue
			}
			for i, u := range got {
				if u.Level != 3 || !strings.HasPrefix(u.Path, tt.prefix) || !u.ValidOn(tt.day) {
					t.Errorf("home %q on %s: area %+v is not a commune of %s that day", tt.home, tt.day, u, tt.prefix)
				}
				if i > 0 && i18n.Fold(got[i-1].Name) > i18n.Fold(u.Name) {
					t.Errorf("home %q on %s: %q before %q, want by name", tt.home, tt.day, got[i-1].Name, u.Name)
				}
			}
			if tt.first != "" && got[0].Name != tt.first {
				t.Errorf("home %q on %s: first area %q, want %q", tt.home, tt.day, got[0].Name, tt.first)
			}
		}
	})
}

// TestUnitHistories: a stored code names the unit it named on the day it
// was given, across the reorganisation, even where a new unit reuses it.
func TestUnitHistories(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		hist, err := UnitHistories(ctx, db, []string{"26506", "747", "99999"})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			code, day     string
			name, validTo string
		}{
			{"26506", "2024-05-01", "Phường 1", ReorgDay},
			{"26506", "2026-12-07", "Phường Vũng Tàu", OpenEnd},
			{"747", "2024-05-01", "Thành phố Vũng Tàu", ReorgDay},
			{"747", "2026-12-07", "Thành phố Vũng Tàu", ReorgDay}, // gone: its last version
		}
		for _, tt := range tests {
			got := VersionOn(hist[tt.code], tt.day)
			if got == nil || got.Name != tt.name || got.ValidTo != tt.validTo {
				t.Errorf("%s on %s = %+v, want %s valid to %s", tt.code, tt.day, got, tt.name, tt.validTo)
			}
		}
		if got := VersionOn(hist["99999"], "2026-12-07"); got != nil {
			t.Errorf("a code no unit carried names %+v", got)
		}
	})
}

package indicators

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/database/dbtest"
)

// unitsOnly loads the definitions and Bà Rịa – Vũng Tàu's units, no values.
func unitsOnly(t *testing.T, db bun.IDB) {
	t.Helper()
	ctx := context.Background()
	if err := SeedDefinitions(ctx, db); err != nil {
		t.Fatal(err)
	}
	data, _ := demoFiles.ReadFile(demoBefore)
	list, _, _ := ParseUnitList(ctx, data)
	if _, err := ImportUnits(ctx, db, list, demoBeforeDay, "test", false); err != nil {
		t.Fatal(err)
	}
}

func TestImportReportsExactlyTheBadRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		unitsOnly(t, db)
		els, _ := EnteredElements(ctx, db)
		leaves, _ := db.NewSelect().Model((*Unit)(nil)).Where("level = 3").Order("code").Limit(83).Count(ctx)
		_ = leaves
		var codes []string
		if err := db.NewSelect().Model((*Unit)(nil)).Column("code").Where("level = 3").Order("code").Scan(ctx, &codes); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		b.WriteString("\ufeffMã đơn vị,Tên đơn vị,Kỳ")
		for _, e := range els {
			b.WriteString("," + e.Code)
		}
		b.WriteString("\n,,")
		for _, e := range els {
			b.WriteString(",\"" + e.NameVI + "\"")
		}
		b.WriteString("\n")
		badRows := map[int]string{}
		for i := range 200 {
			row := i + 3 // heading and names come first
			code := codes[i%len(codes)]
			period := fmt.Sprintf("2024-%02d", 1+i/len(codes))
			vals := []string{"1.000", "800", "2700", "2200", "2000", "900", "1800", "2100", "1300"}
			switch i {
			case 47:
				vals[3] = "-5"
				badRows[row] = "ADULT_SMARTPHONE"
			case 118:
				code = "26999"
				badRows[row] = "Mã đơn vị"
			case 170:
				vals[1] = "1200" // fibre households above all households
				badRows[row] = ElemFibreHouseholds
			}
			fmt.Fprintf(&b, "%s,x,%s,%s\n", code, period, strings.Join(quoteAll(vals), ","))
		}
		rows, perrs, err := ParseValueFile(t.Context(), []byte(b.String()), els)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 200 {
			t.Fatalf("parsed %d rows, want 200", len(rows))
		}
		all := func(context.Context, string) (bool, error) { return true, nil }
		plan, err := PlanImport(ctx, db, rows, perrs, all, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Errors) != 3 {
			t.Fatalf("errors = %+v, want exactly 3", plan.Errors)
		}
		for _, e := range plan.Errors {
			if col, ok := badRows[e.Row]; !ok || col != e.Column {
				t.Errorf("error %+v: not one of the bad rows %v", e, badRows)
			}
		}
		if err := CommitImport(ctx, db, accounts.SystemActor("t"), plan, true); !errors.Is(err, ErrInvalid) {
			t.Errorf("CommitImport with errors = %v, want ErrInvalid", err)
		}
		if n, _ := db.NewSelect().Model((*Report)(nil)).Count(ctx); n != 0 {
			t.Errorf("reports after a refused import = %d, want 0", n)
		}
		// Without the bad rows everything goes in at once.
		var good []ImportRow
		for _, r := range rows {
			if _, bad := badRows[r.Row]; !bad {
				good = append(good, r)
			}
		}
		plan, err = PlanImport(ctx, db, good, nil, all, true)
		if err != nil || len(plan.Errors) != 0 {
			t.Fatalf("plan of good rows: %v %+v", err, plan.Errors)
		}
		if err := CommitImport(ctx, db, accounts.SystemActor("t"), plan, true); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.NewSelect().Model((*Report)(nil)).Where("status = 'submitted'").Count(ctx); n != 197 {
			t.Errorf("submitted reports = %d, want 197", n)
		}
		// Only units in scope.
		none := func(context.Context, string) (bool, error) { return false, nil }
		plan, _ = PlanImport(ctx, db, rows[:1], nil, none, false)
		if len(plan.Errors) != 1 || plan.Errors[0].MsgID != "indicators.import.error.scope" {
			t.Errorf("out-of-scope row: %+v", plan.Errors)
		}
	})
}

// TestImportStopsAtMaxRowErrors sends files wrong in every row: a value
// file whose every cell is a word, and one whose every row names a unit
// outside the importer's scope, and a unit list and a mapping wrong in
// every row. Each reports MaxRowErrors+1 problems in the order of their
// rows, and the checks that ask the database stop there: the scope is
// asked about MaxRowErrors+1 rows, not all of them.
func TestImportStopsAtMaxRowErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		unitsOnly(t, db)
		els, _ := EnteredElements(ctx, db)
		const rows = 5000
		head := "Mã đơn vị,Kỳ"
		for _, e := range els {
			head += "," + e.Code
		}
		var words, outside, units, mapping strings.Builder
		words.WriteString(head + "\n")
		outside.WriteString(head + "\n")
		units.WriteString("Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\n")
		mapping.WriteString("Mã cũ,Mã mới,Loại,Tỷ lệ\n")
		month := Month(2024, 1)
		for range rows {
			words.WriteString("26506,2024-01" + strings.Repeat(",nhiều", len(els)) + "\n")
			fmt.Fprintf(&outside, "26506,%s%s\n", month, strings.Repeat(",1", len(els)))
			units.WriteString("Tỉnh A,7,,,,,\n")
			mapping.WriteString("26506,26506,một nửa,\n")
			month = month.Prev()
		}
		inOrder := func(name string, errs []RowError) {
			t.Helper()
			if len(errs) != MaxRowErrors+1 {
				t.Errorf("%s: %d problems, want %d", name, len(errs), MaxRowErrors+1)
			}
			for i := 1; i < len(errs); i++ {
				if errs[i].Row < errs[i-1].Row {
					t.Errorf("%s: row %d listed after row %d", name, errs[i].Row, errs[i-1].Row)
				}
			}
		}
		_, errs, err := ParseValueFile(t.Context(), []byte(words.String()), els)
		if err != nil {
			t.Fatal(err)
		}
		inOrder("words", errs)
		if errs[0].Row != 2 || errs[len(els)].Row != 3 {
			t.Errorf("words: the first problems are %+v, want row 2's cells then row 3's", errs[:len(els)+1])
		}

		parsed, errs, err := ParseValueFile(t.Context(), []byte(outside.String()), els)
		if err != nil || len(errs) != 0 || len(parsed) != rows {
			t.Fatalf("outside: %d rows, %v, %v; want %d rows and no problem yet", len(parsed), errs, err, rows)
		}
		asked := 0
		none := func(context.Context, string) (bool, error) { asked++; return false, nil }
		plan, err := PlanImport(ctx, db, parsed, nil, none, false)
		if err != nil {
			t.Fatal(err)
		}
		inOrder("outside", plan.Errors)
		if asked > MaxRowErrors+1 {
			t.Errorf("outside: the scope was asked about %d rows, want at most %d", asked, MaxRowErrors+1)
		}

		_, errs, err = ParseUnitList(t.Context(), []byte(units.String()))
		if err != nil {
			t.Fatal(err)
		}
		inOrder("units", errs)
		_, errs, err = ParseMappings(t.Context(), []byte(mapping.String()))
		if err != nil {
			t.Fatal(err)
		}
		inOrder("mapping", errs)
	})
}

// TestProblemsSortByRowStably checks that problems of a file come out in
// the order of their rows, a row's own in the order they were found, and
// that no more than one past MaxRowErrors is kept.
func TestProblemsSortByRowStably(t *testing.T) {
	var errs []RowError
	for row := 300; row >= 2; row-- {
		errs = append(errs, RowError{Row: row, Column: "A"}, RowError{Row: row, Column: "B"})
	}
	got := sortRowErrors(errs)
	if len(got) != MaxRowErrors+1 {
		t.Fatalf("got %d problems, want %d", len(got), MaxRowErrors+1)
	}
	for i, e := range got {
		want := RowError{Row: 2 + i/2, Column: string(rune('A' + i%2))}
		if e != want {
			t.Fatalf("problem %d = %+v, want %+v", i, e, want)
		}
	}
}

// TestKeptUploadIsTakenOnce keeps the rows of a checked file and takes
// them back: the rows come back as they were, under the file's name, only
// for their owner, and only once, however many requests take them at the
// same moment (a double click on "save").
func TestKeptUploadIsTakenOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		rows := []ImportRow{{Row: 3, UnitCode: "26506", Period: "2024-01", Values: Values{1: 1000, 2: 800}}, {Row: 4, UnitCode: "26509", Period: "2024-01", Values: Values{}}}
		token, err := KeepUpload(ctx, db, 7, "tháng 1.xlsx", rows)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := TakeUpload(ctx, db, 8, token); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("another user took the upload: %v", err)
		}
		const takers = 8
		type taken struct {
			name string
			rows []ImportRow
			err  error
		}
		results := make(chan taken, takers)
		start := make(chan struct{})
		for range takers {
			go func() {
				<-start
				name, rows, err := TakeUpload(ctx, db, 7, token)
				results <- taken{name, rows, err}
			}()
		}
		close(start)
		got := 0
		for range takers {
			r := <-results
			switch {
			case r.err == nil:
				got++
				if r.name != "tháng 1.xlsx" || fmt.Sprint(r.rows) != fmt.Sprint(rows) {
					t.Errorf("took %q %+v, want %q %+v", r.name, r.rows, "tháng 1.xlsx", rows)
				}
			case !errors.Is(r.err, database.ErrNotFound):
				t.Errorf("TakeUpload: %v", r.err)
			}
		}
		if got != 1 {
			t.Errorf("%d of %d requests took the upload, want exactly 1", got, takers)
		}
	})
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + s + `"`
	}
	return out
}

func TestTemplateRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		unitsOnly(t, db)
		els, _ := EnteredElements(ctx, db)
		dist, _ := UnitByCode(ctx, db, "752", "2024-01-31")
		us, _ := Subtree(ctx, db, dist, "2024-01-31")
		xlsx, err := Template(els, us[1:], Month(2024, 1), false, TemplateText{UnitCode: "Mã đơn vị", UnitName: "Tên đơn vị", Period: "Kỳ", DataSheet: "Số liệu", NotesSheet: "Hướng dẫn", Notes: []string{"a", "b"}})
		if err != nil {
			t.Fatal(err)
		}
		rows, errs, err := ParseValueFile(t.Context(), xlsx, els)
		if err != nil || len(errs) != 0 {
			t.Fatalf("parse template: %v %v", err, errs)
		}
		if len(rows) != 7 || rows[0].UnitCode != "26655" || rows[0].Period != "2024-01" || rows[0].Row != 3 {
			t.Errorf("template rows = %+v, want Long Điền's 7 communes from row 3", rows)
		}
	})
}

func FuzzParseValueFile(f *testing.F) {
	els := []Element{{ID: 1, Code: ElemHouseholds, Source: SourceEntered}, {ID: 2, Code: ElemFibreHouseholds, Source: SourceEntered}}
	f.Add([]byte("Mã đơn vị,Kỳ,HH_TOTAL,HH_FIBRE\n26506,2024-01,1.000,800\n"))
	f.Add([]byte("Mã đơn vị;Kỳ;HH_TOTAL\n26506;2024-01;-1\n;;\n"))
	f.Add([]byte("unit code\tperiod\tHH_FIBRE\n1\t2\t1,5\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, errs, err := ParseValueFile(t.Context(), b, els)
		if err != nil {
			return
		}
		for _, r := range rows {
			for _, v := range r.Values {
				if v < 0 {
					t.Fatalf("negative value accepted: %+v", r)
				}
			}
		}
		for _, e := range errs {
			if e.MsgID == "" {
				t.Fatalf("error without message: %+v", e)
			}
		}
	})
}

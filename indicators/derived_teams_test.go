package indicators

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// fixedTeams is a help log's monthly sums given as they are.
type fixedTeams []TeamMonth

func (f fixedTeams) TeamMonths(_ context.Context, from, to string) ([]TeamMonth, error) {
	var out []TeamMonth
	for _, r := range f {
		if r.Month >= from && r.Month <= to {
			out = append(out, r)
		}
	}
	return out, nil
}

func teamElement(t *testing.T, f *TeamFigures, code string) *Element {
	t.Helper()
	for i := range f.Elements {
		if f.Elements[i].Code == code {
			return &f.Elements[i]
		}
	}
	t.Fatalf("no element %s from team records in %+v", code, f.Elements)
	return nil
}

func unitOn(t *testing.T, db bun.IDB, code, day string) *Unit {
	t.Helper()
	u, err := UnitByCode(context.Background(), db, code, day)
	if err != nil {
		t.Fatalf("unit %s on %s: %v", code, day, err)
	}
	return u
}

// TestTeamFiguresRollUpAcrossReorganisation: the help log's sums of two
// communes of 2025-03 land on the province of that day, and on today's
// hierarchy on the city they merged into, with the 60/40 split of Tân Hoà
// carried as reported values are; a split without a share makes the
// successor's figure not comparable, and the reported roll-ups are the
// same before and after.
func TestTeamFiguresRollUpAcrossReorganisation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		recs := fixedTeams{
			{UnitCode: "26506", Month: "2025-03", Households: 40, People1559: 25, People60: 10},  // Phường 1, Vũng Tàu
			{UnitCode: "26707", Month: "2025-03", Households: 100, People1559: 50, People60: 20}, // Tân Hoà, split 60/40
			{UnitCode: "26506", Month: "2025-09", Households: 7, People1559: 3, People60: 2},     // Phường Vũng Tàu
			{UnitCode: "26506", Month: "2024-01", Households: 900},                               // outside the months asked
			{UnitCode: "99999", Month: "2025-03", Households: 500},                               // a code no unit has
		}
		today := Today(time.Now())
		hcm, tanHai, vt := unitOn(t, db, "79", today), unitOn(t, db, "26710", today), unitOn(t, db, "26506", today)
		months := []Period{Month(2025, 3), Month(2025, 9)}
		periods := []string{"2025-03", "2025-09"}
		units := []int64{NationID, hcm.ID, tanHai.ID, vt.ID}
		before, err := Rollup(ctx, db, today, units, periods)
		if err != nil {
			t.Fatal(err)
		}

		f, err := BuildTeamFigures(ctx, db, recs, today, units, months)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Elements) != 3 {
			t.Fatalf("elements from team records = %+v, want 3", f.Elements)
		}
		hh, p60 := teamElement(t, f, ElemTeamHouseholds), teamElement(t, f, ElemTeamPeople60)
		for _, c := range []struct {
			name  string
			unit  int64
			month Period
			e     *Element
			want  float64
		}{
			{"Hồ Chí Minh households 2025-03", hcm.ID, months[0], hh, 140},
			{"nation households 2025-03", NationID, months[0], hh, 140},
			{"Tân Hải households 2025-03 (60% of Tân Hoà)", tanHai.ID, months[0], hh, 60},
			{"Phường Vũng Tàu households 2025-03 (all of Phường 1)", vt.ID, months[0], hh, 40},
			{"Hồ Chí Minh people 60+ 2025-03", hcm.ID, months[0], p60, 30},
			{"Hồ Chí Minh households 2025-09", hcm.ID, months[1], hh, 7},
			{"Tân Hải households 2025-09", tanHai.ID, months[1], hh, 0},
		} {
			got := f.Cell(c.unit, c.month, c.e)
			if math.Abs(got.Value-c.want) > 1e-9 || got.NotComparable != 0 {
				t.Errorf("%s = %+v, want %v comparable", c.name, got, c.want)
			}
		}
		if f.Empty(hcm.ID) || !f.Empty(unitOn(t, db, "26734", today).ID) {
			t.Errorf("Empty: the city has entries and a unit outside the cube has none")
		}

		// On the hierarchy of 2025-03 the two communes lie in Bà Rịa –
		// Vũng Tàu.
		old := "2025-03-31"
		brvt := unitOn(t, db, "77", old)
		f, err = BuildTeamFigures(ctx, db, recs, old, []int64{brvt.ID}, months[:1])
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Cell(brvt.ID, months[0], teamElement(t, f, ElemTeamPeople1559)); got.Value != 75 {
			t.Errorf("Bà Rịa – Vũng Tàu people 15–59 2025-03 = %+v, want 75", got)
		}

		// A split without a stated share: Tân Hải's part is not
		// comparable, the city where all of Tân Hoà lands still is.
		tanHoa := unitOn(t, db, "26707", old)
		if _, err := db.NewUpdate().Model((*Successor)(nil)).Set("weight = NULL").Where("old_unit_id = ?", tanHoa.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		f, err = BuildTeamFigures(ctx, db, recs, today, units, months)
		if err != nil {
			t.Fatal(err)
		}
		hh = teamElement(t, f, ElemTeamHouseholds)
		if got := f.Cell(tanHai.ID, months[0], hh); got.NotComparable != 1 || got.Value != 0 {
			t.Errorf("Tân Hải without a share = %+v, want one figure not comparable", got)
		}
		if got := f.Cell(hcm.ID, months[0], hh); got.NotComparable != 0 || got.Value != 140 {
			t.Errorf("the city with an unshared split inside it = %+v, want 140 comparable", got)
		}
		if _, err := db.NewUpdate().Model((*Successor)(nil)).Set("weight = 0.6").Where("old_unit_id = ? AND new_unit_id = ?", tanHoa.ID, tanHai.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}

		// The reported roll-ups are what they were, and hold nothing for
		// the elements from team records.
		after, err := Rollup(ctx, db, today, units, periods)
		if err != nil {
			t.Fatal(err)
		}
		els, err := Elements(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			for _, p := range periods {
				if before.Completeness(u, p) != after.Completeness(u, p) {
					t.Errorf("completeness of %d in %s changed", u, p)
				}
				for _, e := range els {
					b, a := before.Cell(u, p, e.ID), after.Cell(u, p, e.ID)
					if a != b {
						t.Errorf("reported %s of %d in %s changed: %+v → %+v", e.Code, u, p, b, a)
					}
					if e.FromTeams() && a != (Cell{}) {
						t.Errorf("reported roll-up holds %s from team records: %+v", e.Code, a)
					}
				}
			}
		}
	})
}

// TestTeamElementsApart: the elements from team records are seeded
// active, are not entered by communes, are not among the portal's own use
// counters, and an indicator cannot take one as numerator or denominator.
func TestTeamElementsApart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := SeedDefinitions(ctx, db); err != nil {
			t.Fatal(err)
		}
		ids := elementMap(t, db)
		els, err := Elements(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range els {
			if e.FromTeams() {
				n++
				if !e.Active || e.Entered() {
					t.Errorf("%s: active %v, entered %v; want active, not entered", e.Code, e.Active, e.Entered())
				}
			}
		}
		if n != 3 {
			t.Errorf("%d elements from team records, want 3", n)
		}
		entered, err := EnteredElements(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entered {
			if e.FromTeams() {
				t.Errorf("communes would enter %s", e.Code)
			}
		}
		rows, err := PortalFigures(ctx, els, Counters{SourceTeams: FixedCounter{"2025-03": 9}}, []Period{Month(2025, 3)})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Element.FromTeams() {
				t.Errorf("the portal's own use lists %s", r.Element.Code)
			}
		}
		was, err := IndicatorByCode(ctx, db, IndVNeID)
		if err != nil {
			t.Fatal(err)
		}
		in := IndicatorInput{NameVI: was.NameVI, NameEN: was.NameEN, NumeratorID: ids[ElemTeamPeople1559], DenominatorID: ids[ElemPop15], Active: true}
		wantProblems(t, SaveIndicator(ctx, db, testAdmin, IndVNeID, in), "numerator", ErrTeamElement)
		in = IndicatorInput{NameVI: was.NameVI, NameEN: was.NameEN, NumeratorID: ids[ElemVNeID], DenominatorID: ids[ElemTeamHouseholds], Active: true}
		wantProblems(t, SaveIndicator(ctx, db, testAdmin, IndVNeID, in), "denominator", ErrTeamElement)
		if got, err := IndicatorByCode(ctx, db, IndVNeID); err != nil || got.NumeratorID != was.NumeratorID || got.DenominatorID != was.DenominatorID {
			t.Errorf("refused edits changed the indicator: %+v, %v", got, err)
		}
	})
}

package assessments

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/database/dbtest"
)

var t0 = time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)

// finished starts, fills and submits a response in a new series.
func finished(t *testing.T, db bun.IDB, c *Catalog, p Profile, answers Answers, consent bool, at time.Time) *Response {
	t.Helper()
	ctx := context.Background()
	r, _, err := Start(ctx, db, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := SaveProfile(ctx, db, r.ID, p, c.Profile.SizeClassOf(p), at); err != nil {
		t.Fatal(err)
	}
	m := c.Current()
	for _, page := range m.Pages() {
		items, _ := m.PageItems(page)
		if _, err := SaveAnswers(ctx, db, r.ID, items, answers, at); err != nil {
			t.Fatal(err)
		}
	}
	r, err = Submit(ctx, db, c, r.ID, consent, at)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var shop = Profile{Sector: "G", Employees: 20, Revenue: "r2", Capital: CapitalUnknown, Area: "26506"}

func TestResponseLifecycle(t *testing.T) {
	c, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	m := c.Current()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		r, code, err := Start(ctx, db, t0)
		if err != nil {
			t.Fatal(err)
		}
		if !ValidID(r.ID) || r.ModelVersion != CurrentModel {
			t.Fatalf("started %+v", r)
		}
		if _, err := Get(ctx, db, NewID()); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("Get(unknown) = %v, want ErrNotFound", err)
		}
		if _, err := Get(ctx, db, "not an id"); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("Get(malformed) = %v, want ErrNotFound", err)
		}
		// Submitting before anything is answered is refused.
		var inc *IncompleteError
		if _, err := Submit(ctx, db, c, r.ID, true, t0); !errors.As(err, &inc) {
			t.Errorf("Submit(empty) = %v, want IncompleteError", err)
		}
		if err := SaveProfile(ctx, db, r.ID, shop, "small", t0); err != nil {
			t.Fatal(err)
		}
		all := middleAnswers(m)
		customer, _ := m.PageItems("customer")
		if _, err := SaveAnswers(ctx, db, r.ID, customer, Answers{"cx-presence": {Choice: "no"}}, t0); err != nil {
			t.Fatal(err)
		}
		for _, page := range m.Pages() {
			items, _ := m.PageItems(page)
			if _, err := SaveAnswers(ctx, db, r.ID, items, all, t0.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		// Saving a page replaces its answers, clearing what the visitor cleared.
		if _, err := SaveAnswers(ctx, db, r.ID, customer, Answers{"cx-feedback": {Choice: "yes"}}, t0); err != nil {
			t.Fatal(err)
		}
		got, _ := Get(ctx, db, r.ID)
		if _, ok := got.Answers["cx-presence"]; ok || got.Answers["cx-feedback"].Choice != "yes" || got.Answers["st-plan"].Rung != 3 {
			t.Errorf("answers after saving the customer page again: %+v", got.Answers)
		}
		if _, err := SaveAnswers(ctx, db, r.ID, customer, all, t0); err != nil {
			t.Fatal(err)
		}

		// The code opens the series from anywhere.
		s, latest, err := FindByCode(ctx, db, code)
		if err != nil || latest.ID != r.ID || s.ID != r.SeriesID {
			t.Fatalf("FindByCode = %v, %v, %v", s, latest, err)
		}
		if _, _, err := FindByCode(ctx, db, NewResumeCode()); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("FindByCode(other) = %v, want ErrNotFound", err)
		}
		if _, _, err := FindByCode(ctx, db, "1234"); !errors.Is(err, ErrBadCode) {
			t.Errorf("FindByCode(malformed) = %v, want ErrBadCode", err)
		}

		sub, err := Submit(ctx, db, c, r.ID, false, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if sub.Level != 3 || !near(sub.Score, 43.241125) || !near(sub.PillarScores["strategy"], 61) || sub.Consented() {
			t.Errorf("submitted: level %d score %v pillars %v consent %q", sub.Level, sub.Score, sub.PillarScores, sub.ConsentVersion)
		}
		stored, _ := Get(ctx, db, r.ID)
		if !stored.SubmittedAt.Equal(t0.Add(time.Hour)) || stored.Level != 3 || len(stored.PillarScores) != 6 {
			t.Errorf("stored after submit: %+v", stored)
		}
		// Submitted means read-only.
		if _, err := SaveAnswers(ctx, db, r.ID, customer, all, t0); !errors.Is(err, ErrSubmitted) {
			t.Errorf("SaveAnswers after submit = %v, want ErrSubmitted", err)
		}
		if err := SaveProfile(ctx, db, r.ID, shop, "small", t0); !errors.Is(err, ErrSubmitted) {
			t.Errorf("SaveProfile after submit = %v, want ErrSubmitted", err)
		}
		if _, err := Submit(ctx, db, c, r.ID, true, t0); !errors.Is(err, ErrSubmitted) {
			t.Errorf("second Submit = %v, want ErrSubmitted", err)
		}
		// Consent can be given and withdrawn afterwards, versioned.
		if err := SetConsent(ctx, db, r.ID, true, t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		stored, _ = Get(ctx, db, r.ID)
		if stored.ConsentVersion != ConsentVersion || !stored.ConsentAt.Equal(t0.Add(2*time.Hour)) {
			t.Errorf("consent after SetConsent: %q at %v", stored.ConsentVersion, stored.ConsentAt)
		}

		// Retake: same series and code, profile and answers carried over.
		again, err := Retake(ctx, db, c, r.ID, t0.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if again.ID == r.ID || again.SeriesID != r.SeriesID || again.PreviousID != r.ID || again.Sector != "G" ||
			again.Answers["st-plan"].Rung != 3 || again.Submitted() {
			t.Errorf("retake = %+v", again)
		}
		if twice, err := Retake(ctx, db, c, r.ID, t0.Add(25*time.Hour)); err != nil || twice.ID != again.ID {
			t.Errorf("second retake = %v, %v; want the open one again", twice, err)
		}
		if _, err := Retake(ctx, db, c, again.ID, t0); !errors.Is(err, ErrNotSubmitted) {
			t.Errorf("retake of an open response = %v, want ErrNotSubmitted", err)
		}
		if _, latest, _ := FindByCode(ctx, db, code); latest.ID != again.ID {
			t.Errorf("the code opens %s, want the retake %s", latest.ID, again.ID)
		}
		list, err := SeriesResponses(ctx, db, r.SeriesID)
		if err != nil || len(list) != 2 || list[0].ID != r.ID {
			t.Errorf("SeriesResponses = %v, %v", list, err)
		}

		// Abandoned responses go; submitted ones and fresh ones stay.
		old, _, _ := Start(ctx, db, t0.Add(-200*24*time.Hour))
		n, err := PurgeAbandoned(ctx, db, t0.Add(-180*24*time.Hour))
		if err != nil || n != 1 {
			t.Errorf("PurgeAbandoned = %d, %v; want 1", n, err)
		}
		if _, err := Get(ctx, db, old.ID); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("abandoned response still there: %v", err)
		}
		if _, err := GetSeries(ctx, db, old.SeriesID); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("empty series still there: %v", err)
		}
		if _, err := Get(ctx, db, r.ID); err != nil {
			t.Errorf("submitted response purged: %v", err)
		}
	})
}

func TestBenchmarkSuppressesSmallGroups(t *testing.T) {
	c, _ := LoadCatalog()
	m := c.Current()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		me := finished(t, db, c, shop, middleAnswers(m), true, t0)
		// Four consenting peers of the same sector and size, one without
		// consent, one of another sector.
		for i := range 4 {
			a := middleAnswers(m)
			if i%2 == 0 {
				a["da-storage"] = Answer{Choice: "no"}
			}
			finished(t, db, c, shop, a, true, t0)
		}
		finished(t, db, c, shop, middleAnswers(m), false, t0)
		farm := Profile{Sector: "A", Employees: 20, Revenue: "r2", Capital: CapitalUnknown, Area: "750"}
		finished(t, db, c, farm, middleAnswers(m), true, t0)

		groups, err := Benchmark(ctx, db, me)
		if err != nil {
			t.Fatal(err)
		}
		// Same sector and size: 4 consenting others, withheld. Same size: those
		// 4 and the farm (agri-industry, 20 staff, 3–10 bn: small too), shown.
		want := map[GroupKind]int{SameSectorSize: 0, SameSize: 5, SameSector: 0, AllBusinesses: 5}
		for _, g := range groups {
			if w := want[g.Kind]; (w == 0) != g.Suppressed || g.N != w {
				t.Errorf("group %s: suppressed %v, N %d; want N %d", g.Kind, g.Suppressed, g.N, w)
			}
			if g.Suppressed && (g.Median != 0 || g.Pillars != nil) {
				t.Errorf("group %s is suppressed but carries figures", g.Kind)
			}
		}
		all := groups[3]
		// Peers: two at 41.272375 (data gate no), three at 43.241125; mine is
		// 43.241125: higher than the two.
		if all.Below != 2 || !near(all.Median, 43.241125) || !near(all.Q1, 41.272375) || !near(all.Pillars["data"], 50) {
			t.Errorf("all businesses: %+v", all)
		}

		// A fifth consenting peer of the same sector and size opens that group.
		finished(t, db, c, shop, middleAnswers(m), true, t0)
		groups, _ = Benchmark(ctx, db, me)
		if groups[0].Suppressed || groups[0].N != 5 {
			t.Errorf("sector-size group with 5 peers: %+v", groups[0])
		}
		// Withdrawing consent takes a result out at once.
		var peer Response
		if err := db.NewSelect().Model(&peer).Where("series_id <> ?", me.SeriesID).Where("sector = 'G'").
			Where("consent_version <> ''").Limit(1).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if err := SetConsent(ctx, db, peer.ID, false, t0); err != nil {
			t.Fatal(err)
		}
		groups, _ = Benchmark(ctx, db, me)
		if !groups[0].Suppressed {
			t.Errorf("after a withdrawal the group of 4 is shown: %+v", groups[0])
		}
	})
}

func TestStats(t *testing.T) {
	c, _ := LoadCatalog()
	m := c.Current()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 20, 5, 0, 0, 0, time.UTC)
		// Six shops in Phường Vũng Tàu at level 3, submitted in October and
		// November.
		for i := range 6 {
			at := now.AddDate(0, -(i % 2), 0)
			a := middleAnswers(m)
			a["ctx-needs"] = Answer{Checked: []string{"training"}}
			if i < 2 {
				a["ctx-needs"] = Answer{Checked: []string{"training", "finance"}}
			}
			finished(t, db, c, shop, a, true, at)
		}
		// Two farms at level 2 that still name Thành phố Vũng Tàu, a district
		// abolished on 1 July 2025, and one without consent.
		farm := Profile{Sector: "A", Employees: 20, Revenue: "r2", Capital: CapitalUnknown, Area: "747"}
		low := middleAnswers(m)
		low["da-storage"] = Answer{Choice: "no"}
		finished(t, db, c, farm, low, true, now)
		finished(t, db, c, farm, low, true, now)
		finished(t, db, c, farm, low, false, now)
		// One shop retook it: only its latest result counts.
		retaken := finished(t, db, c, shop, low, true, now.AddDate(0, -3, 0))
		again, err := Retake(ctx, db, c, retaken.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Submit(ctx, db, c, again.ID, true, now); err != nil {
			t.Fatal(err)
		}

		st, err := ComputeStats(ctx, db, c, demoPlaces, Filter{Model: m.Version}, now)
		if err != nil {
			t.Fatal(err)
		}
		if st.N.N != 9 || st.N.Hidden {
			t.Errorf("N = %+v, want 9 businesses (consenting, latest result each)", st.N)
		}
		rowOf := func(tb Table, key string) []Cell {
			for i, k := range tb.Keys {
				if k == key {
					return tb.Rows[i]
				}
			}
			return nil
		}
		// Today's ward: the six shops at level 3 and the retaken shop, whose
		// latest result kept the low answers, at level 2.
		ward := rowOf(st.ByArea, "26506")
		if ward == nil || ward[3].N != 6 || ward[2].N != 1 || !ward[2].Hidden || ward[6].N != 7 {
			t.Errorf("26506 row %+v", ward)
		}
		// The former district, under its own name: two at level 2 →
		// withheld, and the row total 2 too.
		district := rowOf(st.ByArea, "747@2025-06-30")
		if district == nil || !district[2].Hidden || !district[6].Hidden {
			t.Errorf("747 row %+v", district)
		}
		if a := st.Areas["747@2025-06-30"]; a.Name.VI != "Thành phố Vũng Tàu" || !a.Former() {
			t.Errorf("the former district is named %+v", a)
		}
		if got := strings.Join(st.ByArea.Keys, " "); got != "26506 747@2025-06-30" {
			t.Errorf("area rows %q, want today's ward, then the former district; none for an area without results", got)
		}
		for _, tb := range []Table{st.ByArea, st.BySector} {
			for _, row := range append(tb.Rows, tb.Total) {
				for _, cell := range row {
					if small(cell.N) && !cell.Hidden {
						t.Errorf("count %d shown in %+v", cell.N, tb)
					}
				}
			}
		}

		for _, p := range st.Pillars {
			if p.N != 9 || p.Hidden {
				t.Errorf("pillar %s: %+v", p.Pillar, p)
			}
		}
		if p := st.Pillars[1]; !near(p.Mean, 61) || !near(p.Median, 61) {
			t.Errorf("strategy mean %v median %v, want 61", p.Mean, p.Median)
		}
		needs := map[string]OptionCount{}
		for _, o := range st.Needs {
			needs[o.Option] = o
		}
		if needs["training"].N != 6 || needs["training"].Hidden || !needs["finance"].Hidden || needs["advice"].N != 0 || needs["advice"].Hidden {
			t.Errorf("needs %+v", st.Needs)
		}
		if len(st.Months) != 12 || st.Months[11].Month != "2026-11" || st.Months[0].Month != "2025-12" {
			t.Fatalf("months %+v", st.Months)
		}
		// November: 3 shops + 2 consenting farms + the retake = 6; October: 3;
		// August: the first sitting of the retaken shop (1, withheld).
		if nov, oct, aug := st.Months[11], st.Months[10], st.Months[8]; nov.N != 6 || oct.N != 3 || !oct.Hidden || aug.N != 1 || !aug.Hidden {
			t.Errorf("months: Nov %+v Oct %+v Aug %+v", nov, oct, aug)
		}

		// Filters narrow everything; a filter leaving fewer than 5 withholds.
		st, err = ComputeStats(ctx, db, c, demoPlaces, Filter{Model: m.Version, Sector: "A"}, now)
		if err != nil {
			t.Fatal(err)
		}
		if st.N.N != 2 || !st.N.Hidden || !st.Pillars[0].Hidden || st.Pillars[0].Mean != 0 {
			t.Errorf("farms only: N %+v pillars %+v", st.N, st.Pillars[0])
		}
	})
}

func TestCounter(t *testing.T) {
	c, _ := LoadCatalog()
	m := c.Current()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		// 31 Oct 2026 18:30 UTC is 1 Nov 01:30 in Hồ Chí Minh City.
		finished(t, db, c, shop, middleAnswers(m), false, time.Date(2026, 10, 31, 18, 30, 0, 0, time.UTC))
		finished(t, db, c, shop, middleAnswers(m), true, time.Date(2026, 10, 31, 16, 30, 0, 0, time.UTC))
		finished(t, db, c, shop, middleAnswers(m), true, time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC))
		if _, _, err := Start(ctx, db, t0); err != nil { // not completed: not counted
			t.Fatal(err)
		}
		got, err := NewCounter(db).CountByMonth(ctx, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int64{"2026-10": 1, "2026-11": 1}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("CountByMonth = %v, want %v", got, want)
		}
	})
}

func TestSeedDemo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		for range 2 {
			if err := SeedDemo(ctx, db, demoPlaces); err != nil {
				t.Fatal(err)
			}
		}
		// The peers, the demo business's two sittings, and one business that
		// named a district the places still know (747) before it went.
		n, err := db.NewSelect().Model((*Response)(nil)).Count(ctx)
		if err != nil || n != demoPeers+3 {
			t.Errorf("%d demo responses after seeding twice, want %d (%v)", n, demoPeers+3, err)
		}
		r, err := Get(ctx, db, DemoResponseID)
		if err != nil || !r.Submitted() || r.PreviousID != demoPreviousID || r.Area != "26506" {
			t.Fatalf("demo response %+v, %v", r, err)
		}
		var areas []string
		if err := db.NewSelect().Model((*Response)(nil)).Column("area").Scan(ctx, &areas); err != nil {
			t.Fatal(err)
		}
		for _, a := range areas {
			if a != "26506" && a != "26521" && a != "747" {
				t.Errorf("a demo response names area %q, which the places do not offer or know", a)
			}
		}
		s, _ := GetSeries(ctx, db, r.SeriesID)
		if !s.Demo {
			t.Error("demo series not marked demo")
		}
		groups, err := Benchmark(ctx, db, r)
		if err != nil || groups[0].Suppressed {
			t.Errorf("the demo business's closest peer group is withheld: %+v, %v", groups, err)
		}
	})
}

package assessments

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// newUser creates an account, with the consent to keep self-assessments
// under it when consent is true.
func newUser(t *testing.T, db bun.IDB, name string, consent bool) *accounts.User {
	t.Helper()
	ctx := context.Background()
	u, err := accounts.CreateUser(ctx, db, accounts.NewUser{Email: name + "@example.test", Role: accounts.RoleBusiness})
	if err != nil {
		t.Fatal(err)
	}
	if consent {
		if err := accounts.GrantConsent(ctx, db, u.ID, AccountPurpose); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

// ownerOf returns the account a series is kept under, 0 for none.
func ownerOf(t *testing.T, db bun.IDB, seriesID string) int64 {
	t.Helper()
	s, err := GetSeries(context.Background(), db, seriesID)
	if err != nil {
		t.Fatal(err)
	}
	return s.OwnerID
}

func TestAccountPurposeIsAsked(t *testing.T) {
	if _, ok := accounts.PurposeByID(AccountPurpose); !ok {
		t.Fatalf("accounts asks no consent with purpose %q", AccountPurpose)
	}
}

func TestKeepUnderAccountNeedsConsent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := SeedDemo(ctx, db, demoPlaces); err != nil {
			t.Fatal(err)
		}
		with := newUser(t, db, "with", true)
		without := newUser(t, db, "without", false)
		other := newUser(t, db, "other", true)
		r, _, err := Start(ctx, db, t0)
		if err != nil {
			t.Fatal(err)
		}
		demo, err := Get(ctx, db, DemoResponseID)
		if err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			name   string
			user   int64
			series string
			kept   int
			owner  int64 // of the series afterwards
		}{
			{"no consent: nothing kept", without.ID, r.SeriesID, 0, 0},
			{"consent: kept", with.ID, r.SeriesID, 1, with.ID},
			{"again: still kept, once", with.ID, r.SeriesID, 1, with.ID},
			{"another account cannot take it over", other.ID, r.SeriesID, 0, with.ID},
			{"demo series are nobody's", with.ID, demo.SeriesID, 0, 0},
		} {
			got, err := KeepUnderAccount(ctx, db, tc.user, tc.series)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got != tc.kept {
				t.Errorf("%s: kept %d, want %d", tc.name, got, tc.kept)
			}
			if owner := ownerOf(t, db, tc.series); owner != tc.owner {
				t.Errorf("%s: owner %d, want %d", tc.name, owner, tc.owner)
			}
		}
		// A series deleted meanwhile (purged) is skipped, not an error.
		if n, err := KeepUnderAccount(ctx, db, with.ID, NewID()); err != nil || n != 0 {
			t.Errorf("KeepUnderAccount(gone) = %d, %v; want 0, nil", n, err)
		}
		// A withdrawn consent keeps nothing more.
		if err := accounts.WithdrawConsent(ctx, db, other.ID, AccountPurpose); err != nil {
			t.Fatal(err)
		}
		r2, _, err := Start(ctx, db, t0)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := KeepUnderAccount(ctx, db, other.ID, r2.SeriesID); err != nil || n != 0 || ownerOf(t, db, r2.SeriesID) != 0 {
			t.Errorf("after withdrawal: kept %d, %v, owner %d; want nothing kept", n, err, ownerOf(t, db, r2.SeriesID))
		}
	})
}

func TestOwnedSeriesListExportForget(t *testing.T) {
	c, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	m := c.Current()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		u := newUser(t, db, "owner", true)
		stranger := newUser(t, db, "stranger", true)

		// Three series: one sent, then retaken and still in progress; one
		// only started, more recently; one anonymous, not the user's.
		sent := finished(t, db, c, shop, middleAnswers(m), true, t0)
		retake, err := Retake(ctx, db, c, sent.ID, t0.Add(48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		started, _, err := Start(ctx, db, t0.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		anon := finished(t, db, c, shop, middleAnswers(m), false, t0)
		if n, err := KeepUnderAccount(ctx, db, u.ID, sent.SeriesID, started.SeriesID); err != nil || n != 2 {
			t.Fatalf("KeepUnderAccount = %d, %v", n, err)
		}

		list, err := ListOwned(ctx, db, u.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			series, latest, open string
			results              int
		}
		got := make([]row, len(list))
		for i, o := range list {
			got[i] = row{series: o.ID, results: o.Results}
			if o.Latest != nil {
				got[i].latest = o.Latest.ID
			}
			if o.Open != nil {
				got[i].open = o.Open.ID
			}
		}
		want := []row{ // the retake (two days on) is the latest activity
			{series: sent.SeriesID, latest: sent.ID, open: retake.ID, results: 1},
			{series: started.SeriesID, open: started.ID},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ListOwned = %+v\nwant %+v", got, want)
		}
		if list[0].Latest.Level != 3 {
			t.Errorf("latest level %d, want 3", list[0].Latest.Level)
		}
		if one, _ := ListOwned(ctx, db, u.ID, 1); len(one) != 1 || one[0].ID != sent.SeriesID {
			t.Errorf("ListOwned(limit 1) = %+v", one)
		}
		if none, err := ListOwned(ctx, db, stranger.ID, 10); err != nil || len(none) != 0 {
			t.Errorf("ListOwned(stranger) = %+v, %v", none, err)
		}

		// The export holds both series with answers and results, and
		// nothing of the anonymous one.
		x, err := DataHolder{}.ExportUser(ctx, db, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		var back UserExport
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if len(back.Series) != 2 || len(back.Series[0].Responses) != 2 || len(back.Series[1].Responses) != 1 {
			t.Fatalf("export: %s", b)
		}
		first := back.Series[0].Responses[0]
		if first.ID != sent.ID || first.Level == nil || *first.Level != 3 || first.Score == nil ||
			first.Answers["st-plan"].Rung != 3 || first.Sector != "G" || first.StatisticsConsent != ConsentVersion || first.SubmittedAt.IsZero() {
			t.Errorf("exported result: %+v", first)
		}
		if open := back.Series[0].Responses[1]; open.ID != retake.ID || open.Level != nil || !open.SubmittedAt.IsZero() || len(open.Answers) == 0 {
			t.Errorf("exported response in progress: %+v", open)
		}
		for _, s := range back.Series {
			for _, r := range s.Responses {
				if r.ID == anon.ID {
					t.Error("the export holds a series that is not the user's")
				}
			}
		}
		if sx, err := (DataHolder{}).ExportUser(ctx, db, stranger.ID); err != nil || len(sx.(UserExport).Series) != 0 {
			t.Errorf("stranger's export = %+v, %v", sx, err)
		}

		// Forgetting cuts the series loose; the results stay, anonymous.
		if err := (DataHolder{}).ForgetUser(ctx, db, u.ID); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{sent.SeriesID, started.SeriesID} {
			if owner := ownerOf(t, db, id); owner != 0 {
				t.Errorf("series %s still kept under %d after ForgetUser", id, owner)
			}
		}
		if r, err := Get(ctx, db, sent.ID); err != nil || !r.Submitted() || r.Level != 3 {
			t.Errorf("the result after ForgetUser: %+v, %v", r, err)
		}
		if list, _ := ListOwned(ctx, db, u.ID, 10); len(list) != 0 {
			t.Errorf("ListOwned after ForgetUser = %+v", list)
		}
	})
}

func TestUnlinkOwnerAndAccountDeletion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		u := newUser(t, db, "leaving", true)
		stays := newUser(t, db, "staying", true)
		var mine []string
		for range 2 {
			r, _, err := Start(ctx, db, t0)
			if err != nil {
				t.Fatal(err)
			}
			mine = append(mine, r.SeriesID)
		}
		theirs, _, err := Start(ctx, db, t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := KeepUnderAccount(ctx, db, u.ID, mine...); err != nil {
			t.Fatal(err)
		}
		if _, err := KeepUnderAccount(ctx, db, stays.ID, theirs.SeriesID); err != nil {
			t.Fatal(err)
		}
		if n, err := UnlinkOwner(ctx, db, u.ID); err != nil || n != 2 {
			t.Fatalf("UnlinkOwner = %d, %v; want 2", n, err)
		}
		if ownerOf(t, db, theirs.SeriesID) != stays.ID {
			t.Error("UnlinkOwner cut loose another account's series")
		}

		// Deleting an account through accounts, with this part's holder,
		// leaves the series in place and anonymous.
		if _, err := KeepUnderAccount(ctx, db, u.ID, mine[0]); err != nil {
			t.Fatal(err)
		}
		holders := map[string]accounts.DataHolder{"assessments": DataHolder{}}
		if err := accounts.DeleteUser(ctx, db, u.ID, holders); err != nil {
			t.Fatal(err)
		}
		if owner := ownerOf(t, db, mine[0]); owner != 0 {
			t.Errorf("owner after the account's deletion: %d", owner)
		}
		if ownerOf(t, db, theirs.SeriesID) != stays.ID {
			t.Error("deleting one account cut loose another account's series")
		}
	})
}

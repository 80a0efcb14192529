package teams

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/database/dbtest"
)

// TestVisitsStore: entries add up by team and month within a commune only;
// an entry corrects within 7 days and locks after; a helper reaches only
// their own team's entries, and none once they have left.
func TestVisitsStore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		east := mustTeam(t, db, "26734", "Đông", "100")
		far := mustTeam(t, db, "26737", "Xa", "10")
		a, b := mustHelper(t, db, east, "a@example.test"), mustHelper(t, db, far, "b@example.test")
		now := time.Date(2026, 12, 20, 3, 0, 0, 0, time.UTC)
		in := VisitInput{Day: "2026-12-19", Kind: KindVisit, Households: "8", People1559: "5", People60: "6"}
		x, err := RecordVisit(ctx, db, a, in, now)
		if err != nil {
			t.Fatal(err)
		}
		in.Day, in.Households = "2026-12-01", "4"
		if _, err := RecordVisit(ctx, db, a, in, now); err != nil {
			t.Fatal(err)
		}
		in.Day = "2026-11-30"
		if _, err := RecordVisit(ctx, db, a, in, now); err != nil {
			t.Fatal(err)
		}
		if _, err := RecordVisit(ctx, db, b, in, now); err != nil {
			t.Fatal(err)
		}
		totals, err := MonthTotals(ctx, db, "26734", "2026-12")
		if err != nil {
			t.Fatal(err)
		}
		if got := totals[east.ID]; got.Entries != 2 || got.Households != 12 || got.People1559 != 10 || got.People60 != 12 {
			t.Errorf("December in the commune: %+v, want 2 entries, 12 households, 10 and 12 people", got)
		}
		if _, ok := totals[far.ID]; ok || len(totals) != 1 {
			t.Errorf("December totals reach another commune's team: %+v", totals)
		}
		if _, err := TeamVisit(ctx, db, b.UserID, x.ID); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("another team's helper reads the entry: %v", err)
		}
		in.Day, in.Households = "2026-12-19", "9"
		if err := CorrectVisit(ctx, db, b, x.ID, in, now); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("another team's helper corrects the entry: %v", err)
		}
		if err := CorrectVisit(ctx, db, a, x.ID, in, now.Add(CorrectFor-time.Hour)); err != nil {
			t.Errorf("a correction within 7 days: %v", err)
		}
		if err := CorrectVisit(ctx, db, a, x.ID, in, now.Add(CorrectFor+time.Hour)); !errors.Is(err, ErrLocked) {
			t.Errorf("a correction after 7 days: %v, want ErrLocked", err)
		}
		in.Note = "Hai dòng\r\nghi chú"
		y, err := RecordVisit(ctx, db, a, in, now)
		if err != nil || y.Note != "Hai dòng ghi chú" {
			t.Errorf("a note typed on two lines: %+v %v", y, err)
		}
		in.Note = ""
		var ve *accounts.ValidationError
		in.Day = "2026-12-21"
		if _, err := RecordVisit(ctx, db, a, in, now); !errors.As(err, &ve) {
			t.Errorf("an entry dated after today (in Vietnam): %v", err)
		}
		in.Day = "2026-11-18"
		if _, err := RecordVisit(ctx, db, a, in, now); !errors.As(err, &ve) {
			t.Errorf("an entry older than %d days: %v", MaxDaysBack, err)
		}
		if err := Leave(ctx, db, a); err != nil {
			t.Fatal(err)
		}
		if _, err := TeamVisit(ctx, db, a.UserID, x.ID); !errors.Is(err, ErrNoTeam) {
			t.Errorf("a helper who left reads the team's entry: %v", err)
		}
		if err := Leave(ctx, db, a); !errors.Is(err, ErrNoTeam) {
			t.Errorf("leaving twice: %v", err)
		}
		if got, _ := Visits(ctx, db, east.ID, "2026-12"); len(got) != 3 || got[0].Day != "2026-12-19" {
			t.Errorf("the team's December after the helper left: %+v", got)
		}
		// An account's export shows its place in a team; deletion cuts it
		// loose, and the entries stay.
		var h DataHolder
		got, err := h.ExportUser(ctx, db, b.UserID)
		if ms, ok := got.([]ExportMembership); err != nil || !ok || len(ms) != 1 || ms[0].Team != "Xa" {
			t.Errorf("export of a member: %#v %v", got, err)
		}
		if err := h.ForgetUser(ctx, db, b.UserID); err != nil {
			t.Fatal(err)
		}
		if n, err := db.NewSelect().Model((*Member)(nil)).Where("user_id = ?", b.UserID).Count(ctx); err != nil || n != 0 {
			t.Errorf("places still under the deleted account: %d %v", n, err)
		}
		if got, _ := Visits(ctx, db, far.ID, "2026-11"); len(got) != 1 {
			t.Errorf("the far team's entries after deletion: %d, want 1", len(got))
		}
		if ms, _ := Members(ctx, db, far.ID); len(ms) != 1 || !ms[0].Left() || ms[0].Name != "" {
			t.Errorf("the far team's members after deletion: %+v", ms)
		}
	})
}

package teams

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// at is 03:00 in Vietnam's morning of day ("2026-12-20"), as a helper
// records an entry that day.
func at(t *testing.T, day string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", day)
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(3 * time.Hour)
}

// TestMonthReport: a commune's hamlets add up by month, each kind of help
// with the people of the entries that ticked it; a team whose only member
// left counts as having none; a team whose newest entry is exactly 60 days
// old is not idle, one 61 days old is, one with none is; another
// commune's teams stay out; communes are told apart by how many teams
// they hold.
func TestMonthReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		sys := accounts.Actor{System: "test"}
		team := func(unit, name, households string) *Team {
			x, err := Create(ctx, db, sys, unit, Input{Name: name, Households: households})
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		n := 0
		helper := func(x *Team) accounts.Actor {
			n++
			email := "h" + string(rune('a'+n)) + "@example.test"
			if _, err := Invite(ctx, db, sys, x, email, ""); err != nil {
				t.Fatal(err)
			}
			var id int64
			if err := db.NewRaw("SELECT id FROM users WHERE email = ?", email).Scan(ctx, &id); err != nil {
				t.Fatal(err)
			}
			return accounts.Actor{UserID: id}
		}
		record := func(who accounts.Actor, in VisitInput) {
			t.Helper()
			if _, err := RecordVisit(ctx, db, who, in, at(t, in.Day)); err != nil {
				t.Fatalf("entry of %s: %v", in.Day, err)
			}
		}
		a, b := team("26734", "A thôn An", "100"), team("26734", "B thôn Bình", "0")
		team("26734", "C thôn Cát", "50") // no member, no entry
		d := team("26734", "D thôn Dương", "40")
		far := team("26737", "E xã khác", "10")
		ha, hb, hd, hfar := helper(a), helper(b), helper(d), helper(far)
		known := &Catalogue{Services: map[string]bool{"ho-chieu": true}, Lessons: map[string]bool{}}
		record(ha, VisitInput{Day: "2026-12-18", Kind: KindVisit, Households: "30", People1559: "10", People60: "5", VNeID: true, Services: []string{"ho-chieu"}, Known: known})
		record(ha, VisitInput{Day: "2026-12-01", Kind: KindDesk, Households: "12", People1559: "2", People60: "3", Scam: true})
		record(ha, VisitInput{Day: "2026-11-30", Kind: KindVisit, Households: "99", People1559: "9", Cashless: true})
		record(hb, VisitInput{Day: "2026-10-21", Kind: KindVisit, Households: "7"}) // 60 days before 20 December
		record(hd, VisitInput{Day: "2026-10-20", Kind: KindVisit, Households: "6"}) // 61 days before
		record(hfar, VisitInput{Day: "2026-12-10", Kind: KindVisit, Households: "5", People60: "4", VNeID: true})
		if err := Leave(ctx, db, hb); err != nil {
			t.Fatal(err)
		}

		rows, err := MonthReport(ctx, db, "26734", "2026-12")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 {
			t.Fatalf("hamlets of the commune: %d, want 4 (the other commune's left out)", len(rows))
		}
		by := map[string]HamletMonth{}
		for _, r := range rows {
			by[r.Name[:1]] = r
		}
		ra := by["A"]
		if ra.Entries != 2 || ra.Households != 42 || ra.People1559 != 12 || ra.People60 != 8 || ra.Team.Households != 100 || ra.Members != 1 {
			t.Errorf("A in December: %+v, want 2 entries, 42 households of 100, 12 and 8 people, 1 member", ra)
		}
		want := [6]KindTotal{{1, 15}, {0, 0}, {1, 15}, {0, 0}, {1, 5}, {0, 0}}
		if ra.Kinds != want {
			t.Errorf("A's kinds of help: %+v, want %+v (the service picked ticks its box)", ra.Kinds, want)
		}
		today := "2026-12-20"
		if ra.LastDay != "2026-12-18" || ra.Idle(today) {
			t.Errorf("A's newest entry %q, idle %v", ra.LastDay, ra.Idle(today))
		}
		if rb := by["B"]; rb.Entries != 0 || rb.Members != 0 || rb.LastDay != "2026-10-21" || rb.Idle(today) {
			t.Errorf("B (member left, entry exactly %d days old): %+v idle=%v, want no member and not idle", IdleDays, rb, rb.Idle(today))
		}
		if rd := by["D"]; rd.Members != 1 || rd.LastDay != "2026-10-20" || !rd.Idle(today) {
			t.Errorf("D (entry %d days old): %+v idle=%v, want idle", IdleDays+1, rd, rd.Idle(today))
		}
		if rc := by["C"]; rc.Members != 0 || rc.LastDay != "" || !rc.Idle(today) || rc.Entries != 0 {
			t.Errorf("C (no member, no entry): %+v idle=%v", rc, rc.Idle(today))
		}
		picked, err := MonthPicks(ctx, db, "26734", "2026-12")
		if err != nil || len(picked) != 1 || picked[0] != (PickCount{Kind: PickService, Code: "ho-chieu", Entries: 1}) {
			t.Errorf("services and lessons named in December: %+v %v, want ho-chieu once", picked, err)
		}
		if far, _ := MonthPicks(ctx, db, "26737", "2026-12"); len(far) != 0 {
			t.Errorf("the other commune's picks: %+v", far)
		}
		nov, err := MonthReport(ctx, db, "26734", "2026-11")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range nov {
			if r.ID == a.ID && (r.Households != 99 || r.Kinds[3] != (KindTotal{1, 9})) {
				t.Errorf("A in November: %+v", r)
			}
		}
		counts, err := TeamCounts(ctx, db, []string{"26734", "26737", "26740"})
		if err != nil {
			t.Fatal(err)
		}
		if counts["26734"] != 4 || counts["26737"] != 1 || counts["26740"] != 0 || len(counts) != 2 {
			t.Errorf("teams by commune: %v", counts)
		}
		if none, err := MonthReport(ctx, db, "26740", "2026-12"); err != nil || len(none) != 0 {
			t.Errorf("a commune with no team: %+v %v", none, err)
		}
	})
}

// TestVisitPicks: an entry names which services of the fee catalogue were
// filed and which lessons taken; a pick ticks its box; a code outside the
// catalogues is refused with nothing saved; a correction replaces the
// picks, audited with them.
func TestVisitPicks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		sys := accounts.Actor{System: "test"}
		x, err := Create(ctx, db, sys, "26734", Input{Name: "Đông", Households: "100"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Invite(ctx, db, sys, x, "p@example.test", ""); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := db.NewRaw("SELECT id FROM users WHERE email = ?", "p@example.test").Scan(ctx, &id); err != nil {
			t.Fatal(err)
		}
		who := accounts.Actor{UserID: id}
		known := &Catalogue{Services: map[string]bool{"ho-chieu": true, "ly-lich-tu-phap": true}, Lessons: map[string]bool{"tai-khoan-dinh-danh-vneid": true, "nhan-dien-lua-dao-truc-tuyen": true}}
		now := at(t, "2026-12-20")
		in := VisitInput{Day: "2026-12-19", Kind: KindVisit, Households: "3", Known: known,
			Services: []string{"ly-lich-tu-phap", "ho-chieu", "ly-lich-tu-phap"}, Lessons: []string{"tai-khoan-dinh-danh-vneid"}}
		v, err := RecordVisit(ctx, db, who, in, now)
		if err != nil {
			t.Fatal(err)
		}
		got, err := TeamVisit(ctx, db, id, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Service || !got.Lesson || strings.Join(got.Services, ",") != "ho-chieu,ly-lich-tu-phap" || strings.Join(got.Lessons, ",") != "tai-khoan-dinh-danh-vneid" {
			t.Errorf("the entry saved: service %v lesson %v %v %v, want both ticked by their picks, repeats once", got.Service, got.Lesson, got.Services, got.Lessons)
		}
		var ve *accounts.ValidationError
		for _, bad := range []VisitInput{
			{Day: "2026-12-19", Kind: KindVisit, Households: "1", Known: known, Services: []string{"khong-co"}},
			{Day: "2026-12-19", Kind: KindVisit, Households: "1", Known: known, Lessons: []string{"ho-chieu"}},
			{Day: "2026-12-19", Kind: KindVisit, Households: "1", Services: []string{"ho-chieu"}}, // no catalogue to check against
			{Day: "2026-12-19", Kind: KindVisit, Households: "1", Known: known, Services: make([]string, MaxPicks+1)},
		} {
			_, err := RecordVisit(ctx, db, who, bad, now)
			if !errors.As(err, &ve) || !(errors.Is(ve.Problems[0].Err, ErrUnknownService) || errors.Is(ve.Problems[0].Err, ErrUnknownLesson)) {
				t.Errorf("picks %v %v: %v, want refused as outside the catalogue", bad.Services, bad.Lessons, err)
			}
		}
		if n, _ := db.NewSelect().Table("team_visits").Count(ctx); n != 1 {
			t.Errorf("refused entries saved: %d entries", n)
		}
		in.Services, in.Lessons, in.Service = []string{"ho-chieu"}, nil, true
		if err := CorrectVisit(ctx, db, who, v.ID, in, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		list, err := Visits(ctx, db, x.ID, "2026-12")
		if err != nil || len(list) != 1 || strings.Join(list[0].Services, ",") != "ho-chieu" || len(list[0].Lessons) != 0 || list[0].Lesson {
			t.Errorf("after correcting: %+v %v", list, err)
		}
		var audit []string
		if err := db.NewRaw("SELECT new_value FROM audit_log WHERE action = ? ORDER BY id", AuditVisitCorrected).Scan(ctx, &audit); err != nil {
			t.Fatal(err)
		}
		if len(audit) != 1 || !strings.Contains(audit[0], "services=ho-chieu") {
			t.Errorf("the correction's audit: %q", audit)
		}
		if n, _ := db.NewSelect().Table("team_visit_picks").Count(ctx); n != 1 {
			t.Errorf("picks kept after the correction: %d, want 1", n)
		}
	})
}

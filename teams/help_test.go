package teams

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// TestHelpDeskStore, on both databases: a team's help-desk place and hours
// are kept trimmed and audited under their own action, before and after;
// a phone or ID number, a hidden character or too long a text is refused
// at its field and changes nothing; the public list of a commune gives
// names and help desks only, of that commune only.
func TestHelpDeskStore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		sys := accounts.Actor{System: "test"}
		east, err := Create(ctx, db, sys, "26734", Input{Name: "Tổ thôn Đông", Households: "100"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Create(ctx, db, sys, "26737", Input{Name: "Tổ xã khác", Households: "10", DeskPlace: "Nhà văn hóa"}); err != nil {
			t.Fatal(err)
		}
		if _, err := Invite(ctx, db, sys, east, "member@example.test", "Trần Văn Tổ Viên"); err != nil {
			t.Fatal(err)
		}
		audits := func(action string) int {
			n, err := db.NewSelect().Table("audit_log").Where("action = ?", action).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		in := Input{Name: "Tổ thôn Đông", Households: "100", DeskPlace: "  Nhà văn hóa thôn Đông ", DeskHours: "Sáng thứ Bảy, 7:30–11:00"}
		if err := Update(ctx, db, sys, east.ID, in); err != nil {
			t.Fatal(err)
		}
		got, _ := ByID(ctx, db, east.ID)
		if got.DeskPlace != "Nhà văn hóa thôn Đông" || got.DeskHours != "Sáng thứ Bảy, 7:30–11:00" {
			t.Errorf("after setting the help desk: %+v", got)
		}
		if audits(AuditDeskUpdated) != 1 || audits(AuditTeamUpdated) != 0 {
			t.Errorf("audit: %d help desk, %d rename entries, want 1 and 0", audits(AuditDeskUpdated), audits(AuditTeamUpdated))
		}
		var entry accounts.AuditEntry
		if err := db.NewSelect().Model(&entry).Where("action = ?", AuditDeskUpdated).Scan(ctx); err != nil || entry.Old != "" || !strings.Contains(entry.New, "7:30–11:00") {
			t.Errorf("the help desk's audit entry: %+v %v", entry, err)
		}
		if err := Update(ctx, db, sys, east.ID, in); err != nil || audits(AuditDeskUpdated) != 1 {
			t.Errorf("saving the same again: %v, %d help desk entries, want still 1", err, audits(AuditDeskUpdated))
		}
		for _, c := range []struct {
			place, hours string
			field        string
			want         error
		}{
			{"Nhà văn hóa", "Gọi 0912 345 678", "desk_hours", ErrDeskPersonal},
			{"Gặp anh Ba, +84 912 345 678", "", "desk_place", ErrDeskPersonal},
			{"CCCD 001203004567", "", "desk_place", ErrDeskPersonal},
			{"Nhà\u200bvăn hóa", "", "desk_place", ErrDeskInvisible},
			{"", "Sáng\nthứ Bảy", "desk_hours", ErrDeskInvisible},
			{strings.Repeat("đ", MaxDesk+1), "", "desk_place", ErrDeskLong},
		} {
			err := Update(ctx, db, sys, east.ID, Input{Name: "Tổ thôn Đông", Households: "100", DeskPlace: c.place, DeskHours: c.hours})
			var ve *accounts.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Field != c.field || !errors.Is(ve.Problems[0].Err, c.want) {
				t.Errorf("help desk %q / %q: %v, want %v at %s", c.place, c.hours, err, c.want, c.field)
			}
		}
		if got, _ := ByID(ctx, db, east.ID); got.DeskPlace != "Nhà văn hóa thôn Đông" || audits(AuditDeskUpdated) != 1 {
			t.Errorf("refused help desks changed the team: %+v", got)
		}
		if _, err := Create(ctx, db, sys, "26734", Input{Name: "Tổ mới", Households: "1", DeskHours: "gọi 0912345678"}); err == nil {
			t.Error("a new team with a phone number in its hours was added")
		}
		// The team's name is on the public page too: a phone number in it
		// is refused, at the name, on a new team and on a rename.
		for _, name := range []string{"Tổ thôn Đông – gọi 0912 345 678", "Tổ (091) 234 5678"} {
			_, err := Create(ctx, db, sys, "26734", Input{Name: name, Households: "1"})
			var ve *accounts.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Field != "name" || !errors.Is(ve.Problems[0].Err, ErrNamePersonal) {
				t.Errorf("a new team named %q: %v, want ErrNamePersonal at name", name, err)
			}
			if err := Update(ctx, db, sys, east.ID, Input{Name: name, Households: "100"}); !errors.Is(err, ErrNamePersonal) {
				t.Errorf("renaming to %q: %v, want ErrNamePersonal", name, err)
			}
		}
		// Exactly MaxDesk characters fit.
		if err := Update(ctx, db, sys, east.ID, Input{Name: "Tổ thôn Đông", Households: "100", DeskPlace: strings.Repeat("đ", MaxDesk)}); err != nil {
			t.Errorf("a place of %d characters: %v", MaxDesk, err)
		}
		pub, err := Public(ctx, db, "26734")
		if err != nil || len(pub) != 1 || pub[0].Name != "Tổ thôn Đông" || pub[0].DeskHours != "" || !pub[0].HasDesk() {
			t.Errorf("the commune's public teams: %+v %v", pub, err)
		}
		if pub, err := Public(ctx, db, "99999"); err != nil || pub == nil || len(pub) != 0 {
			t.Errorf("a commune with no team: %#v %v, want an empty list", pub, err)
		}
	})
}

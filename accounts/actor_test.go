package accounts

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestActorRecord: an entry written through an actor carries who did it,
// a user or a named process, whatever the caller put in the entry.
func TestActorRecord(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		u := &User{ID: 42, Email: "official@example.test", Role: RoleCommuneOfficial, UnitCode: "26506"}
		cases := []struct {
			who               Actor
			wantID            int64
			wantEmail, wantIP string
		}{
			{UserActor(u, "192.0.2.7"), 42, "official@example.test", "192.0.2.7"},
			{SystemActor("portal units import"), 0, "portal units import", ""},
		}
		for i, c := range cases {
			obj := string(rune('a' + i))
			if err := c.who.Record(ctx, db, AuditEntry{Action: "test.action", ObjectType: "t", ObjectID: obj, ActorEmail: "forged@example.test", IP: "203.0.113.1"}); err != nil {
				t.Fatal(err)
			}
			got, err := ListAudit(ctx, db, AuditFilter{Object: obj})
			if err != nil || len(got) != 1 {
				t.Fatalf("ListAudit: %v, %d entries", err, len(got))
			}
			if got[0].ActorID != c.wantID || got[0].ActorEmail != c.wantEmail || got[0].IP != c.wantIP {
				t.Errorf("case %d: got actor %d %q from %q, want %d %q from %q", i, got[0].ActorID, got[0].ActorEmail, got[0].IP, c.wantID, c.wantEmail, c.wantIP)
			}
		}
		if a := UserActor(u, "x"); a.Role != RoleCommuneOfficial || a.Unit != "26506" {
			t.Errorf("UserActor lost the role or unit: %+v", a)
		}
	})
}

package accounts

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestActiveConsentsAgreesWithHasConsent: the one query of the account
// page says for every purpose what HasConsent says, through granting,
// withdrawing, an older text's consent and another user's.
func TestActiveConsentsAgreesWithHasConsent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "dn-batch@example.test", RoleBusiness, "")
		other := mustUser(t, db, "other-batch@example.test", RoleResident, "")
		check := func(when string, want map[string]bool) {
			t.Helper()
			got, err := ActiveConsents(ctx, db, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range Purposes() {
				has, err := HasConsent(ctx, db, u.ID, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got[p.ID] != want[p.ID] || has != want[p.ID] {
					t.Errorf("%s: %s ActiveConsents %v, HasConsent %v, want %v", when, p.ID, got[p.ID], has, want[p.ID])
				}
			}
		}
		check("none", nil)
		if err := GrantConsent(ctx, db, other.ID, "progress"); err != nil {
			t.Fatal(err)
		}
		check("another user's", nil)
		// A consent to an older text does not hold for the current one.
		if _, err := db.NewInsert().Model(&Consent{UserID: u.ID, Purpose: "assessments", Version: 0}).Value("granted_at", "CURRENT_TIMESTAMP").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		check("an older text", nil)
		if err := GrantConsent(ctx, db, u.ID, "progress"); err != nil {
			t.Fatal(err)
		}
		if err := GrantConsent(ctx, db, u.ID, "assessments"); err != nil {
			t.Fatal(err)
		}
		check("both granted", map[string]bool{"progress": true, "assessments": true})
		if err := WithdrawConsent(ctx, db, u.ID, "progress"); err != nil {
			t.Fatal(err)
		}
		check("progress withdrawn", map[string]bool{"assessments": true})
	})
}

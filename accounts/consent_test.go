package accounts

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

func TestSaveConsents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "dn@example.test", RoleBusiness, "")
		who := UserActor(u, "192.0.2.60")
		type call struct {
			purpose string
			granted bool
		}
		var calls []call
		follow := func(_ context.Context, _ bun.IDB, userID int64, purpose string, granted bool) error {
			if userID != u.ID {
				t.Errorf("hook for user %d, want %d", userID, u.ID)
			}
			calls = append(calls, call{purpose, granted})
			return nil
		}
		broken := func(context.Context, bun.IDB, int64, string, bool) error {
			return errors.New("the assessments store is down")
		}

		if err := SaveConsents(ctx, db, Actor{IP: who.IP}, map[string]bool{"progress": true}, follow); !errors.Is(err, ErrSignInRequired) {
			t.Errorf("nobody: %v, want ErrSignInRequired", err)
		}
		err := SaveConsents(ctx, db, who, map[string]bool{"progress": true, "marketing": true}, follow)
		wantProblems(t, err, "consents")
		if err := SaveConsents(ctx, db, who, map[string]bool{"progress": true}, follow, broken); err == nil {
			t.Error("a failing hook did not fail the change")
		}
		if n := rows(t, db, (*Consent)(nil)) + rows(t, db, (*AuditEntry)(nil)); n != 0 {
			t.Errorf("%d consents and audit entries after refused changes, want 0", n)
		}
		calls = nil

		if err := SaveConsents(ctx, db, who, map[string]bool{"progress": true, "assessments": false}, follow); err != nil {
			t.Fatal(err)
		}
		if ok, _ := HasConsent(ctx, db, u.ID, "progress"); !ok {
			t.Error("the granted consent does not hold")
		}
		if len(calls) != 1 || calls[0] != (call{"progress", true}) {
			t.Errorf("hook calls %v, want one for the granted purpose", calls)
		}
		e := wantAudit(t, db, AuditConsent, who, "consent", "progress")
		if e.New != "granted v1" {
			t.Errorf("audited %q, want %q", e.New, "granted v1")
		}
		// Saving the same choice again changes and records nothing.
		if err := SaveConsents(ctx, db, who, map[string]bool{"progress": true, "assessments": false}, follow); err != nil {
			t.Fatal(err)
		}
		if got := audits(t, db, AuditConsent); len(got) != 1 || len(calls) != 1 {
			t.Errorf("an unchanged choice wrote %d entries and ran %d hooks, want 1 and 1", len(got), len(calls))
		}
		if err := SaveConsents(ctx, db, who, map[string]bool{"progress": false}, follow); err != nil {
			t.Fatal(err)
		}
		if ok, _ := HasConsent(ctx, db, u.ID, "progress"); ok {
			t.Error("the withdrawn consent still holds")
		}
		if got := audits(t, db, AuditConsent); len(got) != 2 || got[0].New != "withdrawn v1" || got[0].ObjectID != "progress" {
			t.Errorf("after withdrawal the log holds %+v, want a withdrawal of progress on top", got)
		}
		if len(calls) != 2 || calls[1] != (call{"progress", false}) {
			t.Errorf("hook calls %v, want the withdrawal followed", calls)
		}
	})
}

// partHolder is a part that holds a little data about a user, or fails.
type partHolder struct{ err error }

func (h partHolder) ExportUser(_ context.Context, _ bun.IDB, userID int64) (any, error) {
	return map[string]int64{"user": userID}, h.err
}

func (partHolder) ForgetUser(context.Context, bun.IDB, int64) error { return nil }

func TestExportUser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "nd@example.test", RoleResident, "")
		who := UserActor(u, "192.0.2.70")
		if _, err := ExportUser(ctx, db, Actor{IP: who.IP}, nil); !errors.Is(err, ErrSignInRequired) {
			t.Errorf("nobody: %v, want ErrSignInRequired", err)
		}
		if _, err := ExportUser(ctx, db, who, map[string]DataHolder{"lessons": partHolder{err: errors.New("down")}}); err == nil {
			t.Error("a failing part did not fail the export")
		}
		if n := rows(t, db, (*AuditEntry)(nil)); n != 0 {
			t.Errorf("%d audit entries after failed exports, want 0", n)
		}
		x, err := ExportUser(ctx, db, who, map[string]DataHolder{"lessons": partHolder{}})
		if err != nil {
			t.Fatal(err)
		}
		if x.Account.Email != u.Email || x.Parts["lessons"].(map[string]int64)["user"] != u.ID {
			t.Errorf("export %+v lacks the account or the part's data", x)
		}
		if len(x.Activity) != 0 {
			t.Errorf("the export holds %d events, want none (its own line comes after)", len(x.Activity))
		}
		wantAudit(t, db, AuditDataExported, who, "user", strconv.FormatInt(u.ID, 10))
	})
}

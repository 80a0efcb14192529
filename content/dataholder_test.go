package content

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/database/dbtest"
)

func TestDataHolderExportAndForget(t *testing.T) {
	t.Parallel() // each subtest has databases of its own
	lib := fixtureLibrary(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		consenting(t, db, 5)
		var h DataHolder
		empty, err := h.ExportUser(ctx, db, 5)
		if err != nil || len(empty.(UserExport).Completions) != 0 {
			t.Fatalf("export of a user without lessons = %+v, %v", empty, err)
		}
		l, err := EnsureUserLearner(ctx, db, 5, t0)
		if err != nil {
			t.Fatal(err)
		}
		mustPass(t, db, l.ID, t0, "mat-khau-manh", "nhan-dien-lua-dao")
		cert, err := IssueCertificate(ctx, db, lib, l.ID, "an-toan", "Phạm Văn D", t0)
		if err != nil {
			t.Fatal(err)
		}
		got, err := h.ExportUser(ctx, db, 5)
		if err != nil {
			t.Fatal(err)
		}
		x := got.(UserExport)
		if len(x.Completions) != 2 || len(x.Certificates) != 1 || x.Certificates[0].HolderName != "Phạm Văn D" {
			t.Errorf("export = %+v, want 2 lessons and the certificate", x)
		}
		if err := h.ForgetUser(ctx, db, 5); err != nil {
			t.Fatal(err)
		}
		c, err := CertificateByCode(ctx, db, cert.Code)
		if err != nil || !c.Withdrawn() || c.HolderName != "" {
			t.Errorf("after forgetting, certificate = %+v, %v; want withdrawn, name erased", c, err)
		}
		if _, err := LearnerForUser(ctx, db, 5); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("after forgetting, learner: %v, want ErrNotFound", err)
		}
	})
}

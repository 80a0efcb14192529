package indicators

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/database/dbtest"
)

// TestCommitUpload: a kept file is checked again and written, all of it,
// with an audit line per state change by the official, in one transaction
// that takes the file; only its owner may commit it; a file whose report
// was locked since the dry run writes nothing.
func TestCommitUpload(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		ids := elementMap(t, db)
		els, err := EnteredElements(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		file := func(months ...Period) []byte {
			head := "Mã đơn vị,Kỳ"
			for _, e := range els {
				head += "," + e.Code
			}
			lines := []string{head}
			for _, m := range months {
				row := "26536," + m.String()
				v := fullValues(ids, 1)
				for _, e := range els {
					row += fmt.Sprintf(",%d", v[e.ID])
				}
				lines = append(lines, row)
			}
			return []byte(strings.Join(lines, "\n") + "\n")
		}
		who := accounts.Actor{UserID: 7, Email: "commune@example.test", Role: accounts.RoleCommuneOfficial, Unit: "26536", IP: "192.0.2.7"}
		everywhere := func(context.Context, string) (bool, error) { return true, nil }
		nowhere := func(context.Context, string) (bool, error) { return false, nil }
		nov, dec := Month(2023, 11), Month(2023, 12)

		plan, err := CheckValueFile(ctx, db, file(nov, dec), nowhere, true)
		if err != nil || len(plan.Errors) != 2 || plan.Errors[0].MsgID != "indicators.import.error.scope" {
			t.Errorf("a file outside the importer's scope = %+v, %v; want two scope problems", plan, err)
		}
		plan, err = CheckValueFile(ctx, db, file(nov, dec), everywhere, true)
		if err != nil || len(plan.Errors) != 0 || plan.Reports != 2 {
			t.Fatalf("dry run = %+v, %v; want two reports and no problem", plan, err)
		}
		if _, err := CheckValueFile(ctx, db, []byte("\xff\xfe\x00"), everywhere, true); !errors.Is(err, ErrNotTable) {
			t.Errorf("a file that is no table = %v, want ErrNotTable", err)
		}
		token, err := KeepUpload(ctx, db, who.UserID, "month.csv", plan.Rows)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := CommitUpload(ctx, db, who, 8, token, everywhere, true); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("another user's commit = %v, want ErrNotFound", err)
		}
		name, plan, err := CommitUpload(ctx, db, who, who.UserID, token, everywhere, true)
		if err != nil || name != "month.csv" || plan.Reports != 2 || len(plan.Errors) != 0 {
			t.Fatalf("commit = %q, %+v, %v", name, plan, err)
		}
		u, err := UnitByCode(ctx, db, "26536", dec.Day())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []Period{nov, dec} {
			if rep, _, err := ReportFor(ctx, db, u.ID, m); err != nil || rep.Status != StatusSubmitted {
				t.Errorf("report of %s after the commit = %+v, %v; want submitted", m, rep, err)
			}
		}
		wantAudit(t, db, "indicators.status", 2, who, "indicator_report", "26536/"+dec.String())
		if _, _, err := CommitUpload(ctx, db, who, who.UserID, token, everywhere, true); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("committing twice = %v, want ErrNotFound", err)
		}

		// September is checked, then submitted on the form; the commit finds
		// it locked and writes nothing, not even the other month.
		sep, aug := Month(2023, 9), Month(2023, 8)
		late, err := CheckValueFile(ctx, db, file(sep, aug), everywhere, false)
		if err != nil || len(late.Errors) != 0 {
			t.Fatalf("dry run of September and August = %+v, %v", late, err)
		}
		token, err = KeepUpload(ctx, db, who.UserID, "late.csv", late.Rows)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Submit(ctx, db, who, u, sep, fullValues(ids, 2)); err != nil {
			t.Fatal(err)
		}
		_, plan, err = CommitUpload(ctx, db, who, who.UserID, token, everywhere, false)
		if err != nil || len(plan.Errors) != 1 || plan.Errors[0].MsgID != "indicators.import.error.locked" {
			t.Fatalf("commit of a locked month = %+v, %v; want one problem", plan, err)
		}
		if rep, v, err := ReportFor(ctx, db, u.ID, aug); err != nil || rep.ID != 0 || len(v) != 0 {
			t.Errorf("the other month was written: %+v %v %v", rep, v, err)
		}
		if _, v, _ := ReportFor(ctx, db, u.ID, sep); v[ids[ElemHouseholds]] != 2000 {
			t.Errorf("the locked month changed: %v", v)
		}
		wantAudit(t, db, "indicators.status", 3, who, "indicator_report", "26536/"+sep.String())
	})
}

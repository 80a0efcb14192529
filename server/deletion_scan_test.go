package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/content"
	"digiportal/database"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/mail/mailpit"
)

// textColumns lists each table's columns that can hold text (bytes
// included), on either database.
func textColumns(t *testing.T, db *bun.DB) map[string][]scanColumn {
	t.Helper()
	ctx := context.Background()
	tables, err := database.Tables(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]scanColumn{}
	for _, table := range tables {
		var cols []struct {
			Name string `bun:"name"`
			Type string `bun:"type"`
		}
		q := "SELECT name, type FROM pragma_table_info(?)"
		if database.IsPostgres(db) {
			q = "SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
		}
		if err := db.NewRaw(q, table).Scan(ctx, &cols); err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			ty := strings.ToLower(c.Type)
			if strings.Contains(ty, "text") || strings.Contains(ty, "char") || strings.Contains(ty, "blob") || strings.Contains(ty, "bytea") || strings.Contains(ty, "json") {
				out[table] = append(out[table], scanColumn{c.Name, strings.Contains(ty, "bytea")})
			}
		}
	}
	return out
}

// scanColumn is a column to search; bytes are searched as bytes.
type scanColumn struct {
	name  string
	bytes bool
}

// scanFor returns "table.column" for every text column of every table
// holding needle anywhere, on either database.
func scanFor(t *testing.T, db *bun.DB, cols map[string][]scanColumn, needle string) []string {
	t.Helper()
	ctx := context.Background()
	var hits []string
	for table, names := range cols {
		for _, col := range names {
			expr := "instr(CAST(? AS BLOB), CAST(? AS BLOB)) > 0"
			args := []any{bun.Ident(col.name), needle}
			switch {
			case database.IsPostgres(db) && col.bytes:
				expr, args = "position(convert_to(?, 'UTF8') IN ?) > 0", []any{needle, bun.Ident(col.name)}
			case database.IsPostgres(db):
				expr, args = "position(? IN CAST(? AS TEXT)) > 0", []any{needle, bun.Ident(col.name)}
			}
			var n int
			if err := db.NewRaw(fmt.Sprintf("SELECT count(*) FROM ? WHERE %s", expr), append([]any{bun.Ident(table)}, args...)...).Scan(ctx, &n); err != nil {
				t.Fatalf("scan %s.%s: %v", table, col.name, err)
			}
			if n > 0 {
				hits = append(hits, fmt.Sprintf("%s.%s (%d rows)", table, col.name, n))
			}
		}
	}
	return hits
}

// TestDeletionLeavesNothing creates a resident, uses every part of the
// portal as them (consents, a failed sign-in from elsewhere, a reset
// request, lessons and a certificate in their name, a self-assessment kept
// under the account, the sessions page, the export), deletes the account,
// and scans every text column of every table for the e-mail address, the
// name and the client address: nothing may be left. It also checks the
// export before deletion is complete.
func TestDeletionLeavesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		mp := mailpit.Start(t)
		ts := newTestServer(t, db, withMailpit(t, mp))
		const (
			email = "quet.xoa.het@example.test"
			name  = "Trần Thị Quét"
			pw    = "một câu dài để thử nghiệm"
			addr  = "127.0.0."
		)
		cols := textColumns(t, db)
		v := ts.newVisitor()
		v.signUpByEmail(mp, url.Values{"email": {email}, "name": {name}, "kind": {"resident"}, "password": {pw},
			"consent_progress": {"yes"}, "consent_assessments": {"yes"}}).mustStatus(t, http.StatusSeeOther)
		if len(scanFor(t, db, cols, email)) == 0 || len(scanFor(t, db, cols, name)) == 0 || len(scanFor(t, db, cols, addr)) == 0 {
			t.Fatal("the scan finds nothing even before deletion: it cannot see")
		}
		// Someone elsewhere tries the account's password.
		ts.newVisitor().post("/vi/login", url.Values{"email": {email}, "password": {"sai mật khẩu"}}).mustStatus(t, http.StatusBadRequest)
		ts.newVisitor().post("/vi/password/forgot", url.Values{"email": {email}}).mustStatus(t, http.StatusOK)
		ts.srv.WaitMail()
		path := ts.srv.lessons.lib.Paths[0].Slug
		finishPath(t, v, i18n.VI, path)
		v.post("/vi/paths/"+path+"/certificate", url.Values{"name": {name}, "consent": {"yes"}}).mustStatus(t, http.StatusSeeOther)
		_, code := startAssessment(t, v, "vi")
		v.get("/vi/assessment").mustStatus(t, http.StatusOK)
		for _, c := range []string{code, strings.ReplaceAll(code, "-", "")} {
			if hits := scanFor(t, db, map[string][]scanColumn{"sessions": cols["sessions"]}, c); len(hits) > 0 {
				t.Errorf("the sessions table holds the resume code in clear: %v", hits)
			}
		}
		v.get("/vi/account/sessions").mustStatus(t, http.StatusOK)
		// More activity than any page of it holds.
		u, err := accounts.UserByEmail(context.Background(), db, email)
		if err != nil {
			t.Fatal(err)
		}
		for range 205 {
			if err := accounts.UserActor(u, "127.0.0.1").Record(context.Background(), db, accounts.AuditEntry{Action: accounts.AuditSignIn, ObjectType: "user"}); err != nil {
				t.Fatal(err)
			}
		}
		for range 3 {
			v.post("/vi/account/consents", url.Values{"consent_progress": {"yes"}, "consent_assessments": {"yes"}})
			v.post("/vi/account/consents", url.Values{"consent_progress": {"yes"}})
		}

		res := v.post("/vi/account/export", nil).mustStatus(t, http.StatusOK)
		var x accounts.Export
		if err := json.Unmarshal([]byte(res.Body), &x); err != nil {
			t.Fatalf("export: %v\n%.300s", err, res.Body)
		}
		if x.Account.Email != email || x.Account.Name != name {
			t.Errorf("export account %+v", x.Account)
		}
		failed := 0
		for _, e := range x.Activity {
			if e.Action == accounts.AuditSignInFailed && strings.HasPrefix(e.IP, addr) {
				failed++
			}
		}
		if failed != 1 {
			t.Errorf("the export lists %d failed sign-ins against the account with their address, want 1", failed)
		}
		if len(x.Activity) < 210 {
			t.Errorf("export activity has %d rows", len(x.Activity))
		}
		if strings.Contains(res.Body, "0001-01-01") {
			t.Error("the export shows a zero time (an active consent's withdrawn_at?)")
		}
		if len(x.Sessions) == 0 || len(x.Parts) == 0 {
			t.Errorf("export lacks sessions or parts: %d sessions, %d parts", len(x.Sessions), len(x.Parts))
		}
		if strings.Count(res.Body, `"withdrawn_at"`) != 3 {
			t.Errorf("want withdrawn_at on the 3 withdrawn consents only:\n%s", res.Body)
		}

		v.get("/vi/account/delete").mustStatus(t, http.StatusOK)
		if to := location(t, v.post("/vi/account/delete", url.Values{"password": {pw}})); !strings.Contains(to, "deleted=1") {
			t.Fatalf("deleted, then went to %q", to)
		}
		// A later maintenance pass changes nothing of this: what must go
		// went with the deletion.
		for _, needle := range []string{email, name, addr} {
			if hits := scanFor(t, db, cols, needle); len(hits) > 0 {
				t.Errorf("after deletion %q is still in %v", needle, hits)
			}
		}
		n, _ := db.NewSelect().Model((*content.Learner)(nil)).Count(context.Background())
		t.Logf("deletion scan: %d tables, %d text columns searched for the e-mail, the name and %q*: nothing found unless reported above (%d learners left, anonymous)",
			len(cols), countCols(cols), addr, n)
	})
}

func countCols(cols map[string][]scanColumn) int {
	n := 0
	for _, c := range cols {
		n += len(c)
	}
	return n
}

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"digiportal/accounts"
	"digiportal/database"
)

// TestUserCreateWordsRefusals: the command names the flag at fault for a
// bad role or unit (exit 2, before any database exists), says when the
// address is taken (exit 1), and audits the creation as itself.
func TestUserCreateWordsRefusals(t *testing.T) {
	dir := t.TempDir()
	env := envOf(map[string]string{"PORTAL_DATA_DIR": dir})
	cases := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"--email", "a@example.test", "--role", "root"}, 2, `--role "root" is not one of`},
		{[]string{"--email", "a@example.test", "--role", "province_official"}, 2, "--unit is required for officials"},
		{[]string{"--email", "a@example.test", "--role", "province_official", "--unit", strings.Repeat("7", 21)}, 2, "--unit is not a unit code"},
		{[]string{"--email", "a@example.test", "--role", "admin", "--lang", "fr"}, 2, "--lang must be vi or en"},
		{[]string{"--email", "a@example.test", "--role", "admin"}, 0, ""},
		{[]string{"--email", "A@example.test", "--role", "resident"}, 1, "already registered"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		code := run(context.Background(), append([]string{"user", "create"}, c.args...), env, &out, &errOut)
		if code != c.wantCode || !strings.Contains(errOut.String(), c.wantErr) {
			t.Errorf("%v: got exit %d %q, want %d with %q", c.args, code, errOut.String(), c.wantCode, c.wantErr)
		}
		if c.wantCode == 2 {
			files, err := filepath.Glob(filepath.Join(dir, "*"))
			if err != nil || len(files) != 0 {
				t.Errorf("%v left %v behind (%v), want no database yet", c.args, files, err)
			}
		}
	}
	ctx := context.Background()
	db, err := database.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{Action: accounts.AuditUserCreated})
	if err != nil || len(entries) != 1 || entries[0].ActorEmail != "portal user create" || entries[0].New != "admin " {
		t.Errorf("audit %+v, %v; want one creation by the command", entries, err)
	}
}

// TestUserCreateLinkAndValidity: the one-time link starts where the server
// says it lives (PORTAL_BASE_URL, else http:// and PORTAL_ADDR), and the
// validity is in words of the link's language.
func TestUserCreateLinkAndValidity(t *testing.T) {
	for _, c := range []struct {
		vars       map[string]string
		lang, link string
		valid      string
	}{
		{map[string]string{"PORTAL_ADDR": "127.0.0.1:9123"}, "vi", "http://127.0.0.1:9123/vi/set-password/", "trong vòng 72 giờ:"},
		{map[string]string{"PORTAL_ADDR": "127.0.0.1:9123", "PORTAL_BASE_URL": "https://cds.example.gov.vn"}, "en", "https://cds.example.gov.vn/en/set-password/", "within 72 hours:"},
	} {
		c.vars["PORTAL_DATA_DIR"] = t.TempDir()
		var out, errOut bytes.Buffer
		code := run(context.Background(), []string{"user", "create", "--email", "a@example.test", "--role", "admin", "--lang", c.lang}, envOf(c.vars), &out, &errOut)
		if code != 0 || !strings.Contains(out.String(), c.link) || !strings.Contains(out.String(), c.valid) || strings.Contains(out.String(), "72h0m0s") {
			t.Errorf("%v: exit %d, printed %q; want %q and %q", c.vars, code, out.String(), c.link, c.valid)
		}
	}
}

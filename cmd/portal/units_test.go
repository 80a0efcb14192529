package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/indicators"
)

// TestUnitsImportCommand: the command imports a list and a mapping through
// the same use case as the admin page, says what changed, changes nothing
// the second time, imports nothing of a file with row problems, and audits
// as itself.
func TestUnitsImportCommand(t *testing.T) {
	dir := t.TempDir()
	env := envOf(map[string]string{"PORTAL_DATA_DIR": dir})
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	demo := func(name string) []byte {
		t.Helper()
		data, err := indicators.DemoFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	before := write("before.csv", demo("ba-ria-vung-tau-2020.csv"))
	after := write("after.csv", demo("ho-chi-minh-2025-07-01.csv"))
	mapping := write("map.csv", demo("successors-2025-07-01.csv"))
	bad := write("bad.csv", []byte("Mã cũ,Mã mới,Loại,Tỷ lệ\n99998,99999,toàn bộ,\n"))
	for _, c := range []struct {
		args     []string
		wantCode int
		want     string
	}{
		{[]string{"--day", "2020-01-01", before}, 0, "units: 91 created, 0 changed, 0 unchanged, 0 ended"},
		{[]string{"--day", "2025-07-01", "--complete", after}, 0, "units: 2 created, 29 changed, 0 unchanged, 62 ended"},
		{[]string{"--day", "2025-07-01", "--complete", after}, 0, "units: 0 created, 0 changed, 31 unchanged, 0 ended"},
		{[]string{"--day", "2025-07-01", "--mapping", mapping}, 0, "mapping: "},
		{[]string{"--day", "2025-07-01", "--mapping", bad}, 1, "the file has 1 problems; nothing was imported"},
		{[]string{"--day", "2025-7-1", before}, 2, "--day must be a day"},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), append([]string{"units", "import"}, c.args...), env, &out, &errOut)
		if code != c.wantCode || !strings.Contains(out.String()+errOut.String(), c.want) {
			t.Errorf("%v: exit %d, out %q, err %q; want %d with %q", c.args, code, out.String(), errOut.String(), c.wantCode, c.want)
		}
	}
	ctx := context.Background()
	db, err := database.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{Action: "indicators.units_import"})
	if err != nil || len(entries) != 4 {
		t.Fatalf("audit %+v, %v; want the four imports that went through", entries, err)
	}
	for _, e := range entries {
		if e.ActorEmail != "portal units import" || e.ActorID != 0 {
			t.Errorf("import audited as %d %q, want the command", e.ActorID, e.ActorEmail)
		}
	}
	if e := entries[len(entries)-1]; e.ObjectID != "units/2020-01-01" || e.Detail != "before.csv: created=91 changed=0 unchanged=0 closed=0" {
		t.Errorf("first import audited as %q %q", e.ObjectID, e.Detail)
	}
}

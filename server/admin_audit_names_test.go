package server

import (
	"context"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// auditCodes finds every audit action code the portal's code records: the
// constants named Audit… and the literal actions of audit entries.
func auditCodes(t *testing.T) []string {
	t.Helper()
	constant := regexp.MustCompile(`\bAudit\w*\s*=\s*"([a-z_]+\.[a-z_.]+)"`)
	literal := regexp.MustCompile(`AuditEntry\{[^}]*?Action:\s*"([a-z_]+\.[a-z_.]+)"`)
	found := map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range []*regexp.Regexp{constant, literal} {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				found[m[1]] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for c := range found {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// TestEveryAuditCodeHasMessages: each action the portal records in the
// audit log reads as words in both languages.
func TestEveryAuditCodeHasMessages(t *testing.T) {
	codes := auditCodes(t)
	// Sign-in, the payments' refunds and the indicators' values at least:
	// fewer means the search lost its way, not that the codes went.
	for _, want := range []string{accounts.AuditSignIn, "payments.refunded", "indicators.value", "indicators.status"} {
		if !strings.Contains(strings.Join(codes, " "), want) {
			t.Fatalf("the search of the code found %v, not %s", codes, want)
		}
	}
	t.Logf("%d audit codes: %v", len(codes), codes)
	bundle, err := i18n.NewBundle()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Langs() {
		l := bundle.Localizer(lang)
		for _, c := range codes {
			if id := auditActionID(c); l.T(id) == id {
				t.Errorf("%s: the audit action %s has no message %s", lang, c, id)
			}
		}
	}
}

// TestAuditLogReadable: the audit log says what happened in words, who
// did it by name or address, and what it was done to by name — a user, a
// unit's report — not by codes and numbers.
func TestAuditLogReadable(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	ctx := context.Background()
	home, err := indicators.HomeUnit(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	due := indicators.DueMonth(workClock())
	units, err := indicators.ReportingUnits(ctx, db, home, due, 1)
	if err != nil || len(units) == 0 {
		t.Fatal(err)
	}
	official := ts.newVisitor().signInAs(accounts.RoleCommuneOfficial, units[0].Code)
	els, err := indicators.EnteredElements(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := indicators.SaveDraft(ctx, db, accounts.UserActor(official, "192.0.2.7"), &units[0], due, indicators.Values{els[0].ID: 1234}); err != nil {
		t.Fatal(err)
	}
	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	for _, lang := range i18n.Langs() {
		l := ts.srv.bundle.Localizer(lang)
		en := lang == i18n.EN
		page := admin.get("/"+string(lang)+"/admin/audit").mustStatus(t, http.StatusOK)
		page.mustContain(t, l.T(auditActionID(accounts.AuditSignIn)), l.T(auditActionID("indicators.value")),
			official.Login(), // the object of the official's sign-in, by address
			htmlText(l.T("audit.object.value", "Element", els[0].Name(en), "Month", indPeriodLabel(l, due),
				"Unit", units[0].DisplayName(en)+" ("+units[0].Code+")")))
		if strings.Contains(page.Body, "user "+itoa64(official.ID)+"<") || strings.Contains(page.Body, ">user ") {
			t.Errorf("%s: the audit log names a user by number", lang)
		}
	}
	// A report's states read as words.
	if _, err := indicators.Submit(ctx, db, accounts.UserActor(official, ""), &units[0], due, fullEntry(t, els)); err != nil {
		t.Fatal(err)
	}
	l := ts.srv.bundle.Localizer(i18n.VI)
	admin.get("/vi/admin/audit?action=indicators.status").mustStatus(t, http.StatusOK).
		mustContain(t, l.T("indicators.status.draft")+" → "+l.T("indicators.status.submitted"))
	// A role reads as words too.
	if _, _, err := accounts.CreateUserWithLink(ctx, db, accounts.UserActor(official, ""), accounts.NewUser{Email: "moi@example.test", Role: accounts.RoleCommuneOfficial, UnitCode: units[0].Code}); err != nil {
		t.Fatal(err)
	}
	admin.get("/vi/admin/audit?action=account.created").mustStatus(t, http.StatusOK).
		mustContain(t, l.T("accounts.role.commune_official")+" "+units[0].Code)
	// A unit list by the day it applies from.
	if err := accounts.RecordAudit(ctx, db, accounts.AuditEntry{Action: "indicators.units_import", ObjectType: "org_units", ObjectID: "units/2025-07-01"}); err != nil {
		t.Fatal(err)
	}
	admin.get("/vi/admin/audit?action=indicators.units_import").mustStatus(t, http.StatusOK).
		mustContain(t, l.T("audit.object.org_units.units", "Day", "01/07/2025"))
	// A filter by code still works, and shows the code beside its words.
	admin.get("/vi/admin/audit?action=indicators.").mustStatus(t, http.StatusOK).
		mustContain(t, `<code class="hint">indicators.value</code>`)
}

// fullEntry is a complete, valid month of values for elements.
func fullEntry(t *testing.T, els []indicators.Element) indicators.Values {
	t.Helper()
	base := map[string]int64{indicators.ElemHouseholds: 1000, indicators.ElemFibreHouseholds: 800, indicators.ElemPop15: 2700,
		indicators.ElemSmartphone: 2200, indicators.ElemAccount: 2000, indicators.ElemSignature: 900,
		indicators.ElemVNeID: 1800, indicators.ElemWorkingAge: 2100, indicators.ElemTrained: 1300}
	v := indicators.Values{}
	for _, e := range els {
		v[e.ID] = base[e.Code]
	}
	return v
}

// TestAuditDateFilterRefusesWhatItCannotRead: a from or to the log cannot
// read as a date is said at its field, in each language, and is not applied;
// an end before the start is said too, and neither bound applies.
func TestAuditDateFilterRefusesWhatItCannotRead(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	ctx := context.Background()
	if err := accounts.RecordAudit(ctx, db, accounts.AuditEntry{Action: "indicators.units_import", ObjectType: "org_units", ObjectID: "units/2025-07-01"}); err != nil {
		t.Fatal(err)
	}
	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	for _, lang := range i18n.Langs() {
		l := ts.srv.bundle.Localizer(lang)
		for _, q := range []string{"from=07%2F12%2F2026", "to=2026-13-01", "from=2026-12-07x", "from=" + strings.Repeat("9", 200)} {
			page := admin.get("/"+string(lang)+"/admin/audit?action=indicators.units_import&"+q).mustStatus(t, http.StatusBadRequest)
			page.mustContain(t, htmlText(l.T("accounts.admin.audit.error.date")), `aria-invalid="true"`, `<code class="hint">indicators.units_import</code>`)
		}
		admin.get("/"+string(lang)+"/admin/audit?action=indicators.units_import&from=2026-12-08&to=2026-12-01").mustStatus(t, http.StatusBadRequest).
			mustContain(t, htmlText(l.T("accounts.admin.audit.error.order")), `<code class="hint">indicators.units_import</code>`)
		// A good range still filters: the entry made today is outside last year.
		admin.get("/"+string(lang)+"/admin/audit?action=indicators.units_import&from=2020-01-01&to=2020-01-31").mustStatus(t, http.StatusOK).
			mustContain(t, htmlText(l.T("accounts.admin.audit.none")))
	}
}

package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// TestAdminRules: an admin adds a validation rule (refused fields named,
// nothing stored), it warns on entry, on an uploaded file and in review,
// never blocks; built-in rules cannot be deleted; only admins manage them.
func TestAdminRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		l := ts.srv.bundle.Localizer(i18n.VI)
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		const code = "26536"
		commune := ts.newVisitor()
		commune.signInAs(accounts.RoleCommuneOfficial, code)
		commune.get("/vi/admin/rules").mustStatus(t, http.StatusForbidden)
		commune.post("/vi/admin/rules", url.Values{"name_vi": {"x"}}).mustStatus(t, http.StatusForbidden)

		admin.get("/vi/work").mustStatus(t, http.StatusOK).mustContain(t, `href="/vi/admin/rules"`)
		admin.get("/vi/admin/rules").mustStatus(t, http.StatusOK).mustContain(t, "<code>POP_WORKING &lt;= POP_15</code>",
			"<code>HH_FIBRE &lt;= HH_TOTAL</code>", l.T("quality.rules.builtin"))
		bad := url.Values{"name_vi": {" "}, "name_en": {"Trained"}, "message_vi": {"m"}, "message_en": {"m"}, "left": {"WORKING_TRAINED +"}, "op": {"<"}, "right": {"POP_WORKING"}}
		admin.post("/vi/admin/rules", bad).mustStatus(t, http.StatusBadRequest).mustContain(t, "Lỗi: ",
			`<a href="#name_vi">`+l.T("quality.rules.error.text")+`</a>`,
			`<a href="#left">`+strings.ReplaceAll(l.T("quality.rules.error.expr", "Max", indicators.MaxRuleExpr), "+", "&#43;")+`</a>`,
			`<a href="#op">`+l.T("quality.rules.error.op")+`</a>`, `value="WORKING_TRAINED &#43;"`)
		if rules, _ := indicators.Rules(ctx, db); len(rules) != 1 {
			t.Fatalf("a refused rule was stored: %+v", rules)
		}
		// Trained people within the households with fibre: a rule the demo
		// breaks, so it shows everywhere.
		good := url.Values{"name_vi": {"Người được tập huấn không vượt số hộ có cáp quang"}, "name_en": {"Trained within fibre households"},
			"message_vi": {"Số người được tập huấn phải nhỏ hơn số hộ có cáp quang."}, "message_en": {"Trained people must be fewer than fibre households."},
			"left": {"working_trained"}, "op": {"<="}, "right": {"HH_FIBRE"}}
		admin.post("/vi/admin/rules", good).mustStatus(t, http.StatusSeeOther)
		admin.get("/vi/admin/rules?done=added").mustStatus(t, http.StatusOK).mustContain(t, l.T("quality.rules.done.added"), "<code>WORKING_TRAINED &lt;= HH_FIBRE</code>")
		rules, err := indicators.Rules(ctx, db)
		if err != nil || len(rules) != 2 {
			t.Fatalf("rules %+v, %v", rules, err)
		}
		admin.post(fmt.Sprintf("/vi/admin/rules/%d/delete", rules[0].ID), nil).mustStatus(t, http.StatusNotFound) // built in
		admin.post("/vi/admin/rules/999999/delete", nil).mustStatus(t, http.StatusNotFound)
		got, _ := accounts.ListAudit(ctx, db, accounts.AuditFilter{Action: "indicators.rule.add", Limit: 5})
		if len(got) != 1 {
			t.Errorf("%d audit lines for adding a rule, want 1", len(got))
		}

		// The demo's last month breaks it: the review says so.
		m := indicators.MonthOf(time.Now()).Prev().Prev()
		rep := reportOf(t, db, code, m)
		_, vals, err := indicators.ReportByID(ctx, db, rep.ID)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]int64{}
		els, _ := indicators.EnteredElements(ctx, db)
		for _, e := range els {
			ids[e.Code] = e.ID
		}
		if vals[ids[indicators.ElemTrained]] <= vals[ids[indicators.ElemFibreHouseholds]] {
			t.Skip("the demo's figures no longer break the test rule; choose another")
		}
		text := l.T("quality.rules.violation_review", "Name", good.Get("name_vi"), "Message", good.Get("message_vi"),
			"Left", l.Int(vals[ids[indicators.ElemTrained]]), "Right", l.Int(vals[ids[indicators.ElemFibreHouseholds]]))
		admin.get(fmt.Sprintf("/vi/reports/review/%d", rep.ID)).mustStatus(t, http.StatusOK).mustContain(t, l.T("quality.rules.review_heading"), text)

		// On entry it warns and saves all the same. (Working age above the
		// population aged 15+ is refused there already: the entry check
		// knows the one age band lies within the other.)
		period := indicators.MonthOf(time.Now())
		form := url.Values{"unit": {code}, "period": {period.String()}, "action": {"save"}}
		for id, n := range vals {
			form.Set(fmt.Sprintf("e%d", id), fmt.Sprint(n))
		}
		res := commune.post("/vi/reports/entry", form)
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving a draft that breaks rules: %d %s", res.StatusCode, res.Body[strings.Index(res.Body, "error-summary"):][:600])
		}
		body := commune.get(fmt.Sprintf("/vi/reports/entry?unit=%s&period=%s", code, period)).mustStatus(t, http.StatusOK).Body
		for _, want := range []string{good.Get("message_vi")} {
			if !strings.Contains(body, want) {
				t.Errorf("the entry form does not warn %q", want)
			}
		}
		if r := reportOf(t, db, code, period); r.Status != indicators.StatusDraft {
			t.Errorf("the draft was not saved: %s", r.Status)
		}

		// An uploaded file: each row that breaks a rule is named.
		csv := "Mã đơn vị,Kỳ"
		line := code + "," + period.String()
		for _, e := range els {
			csv += "," + e.Code
			line += "," + fmt.Sprint(vals[e.ID])
		}
		commune.postFile("/vi/reports/import", nil, "file", "rules.csv", []byte(csv+"\n"+line+"\n")).mustStatus(t, http.StatusOK).
			mustContain(t, l.T("quality.rules.import_heading"), "Dòng 2 (đơn vị "+code+"): "+good.Get("name_vi"))
	})
}

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

// TestReportsFollowups: a province official asks about one figure of a
// commune's report, the commune answers, both see question and answer;
// wrong input is refused at its field and changes nothing; another commune
// neither sees nor answers it; every change is audited.
func TestReportsFollowups(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		l := ts.srv.bundle.Localizer(i18n.VI)
		const code = "26536"
		m := indicators.MonthOf(time.Now()).Prev().Prev()
		rep := reportOf(t, db, code, m)
		u, err := indicators.UnitByID(ctx, db, rep.UnitID)
		if err != nil {
			t.Fatal(err)
		}
		els, err := indicators.EnteredElements(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		review := fmt.Sprintf("/vi/reports/review/%d", rep.ID)
		province := ts.newVisitor()
		province.signInAs(accounts.RoleProvinceOfficial, u.ParentCode)
		commune := ts.newVisitor()
		commune.signInAs(accounts.RoleCommuneOfficial, code)
		other := ts.newVisitor()
		siblings, err := indicators.ReportingUnits(ctx, db, u.ParentCode, m, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range siblings {
			if s.Code != code {
				other.signInAs(accounts.RoleCommuneOfficial, s.Code)
				break
			}
		}

		province.get(review).mustStatus(t, http.StatusOK).mustContain(t, l.T("quality.followup.none"), `action="`+review+`/followups"`)
		// Refused: an empty question, a figure that is not entered.
		ask := url.Values{"element": {fmt.Sprint(els[0].ID)}, "question": {"  "}}
		province.post(review+"/followups", ask).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Lỗi: ", `<a href="#followup-question">`+l.T("quality.followup.error.empty")+`</a>`)
		province.post(review+"/followups", url.Values{"element": {"x"}, "question": {"Vì sao?"}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, `<a href="#followup-element">`+l.T("quality.followup.error.element")+`</a>`, ">Vì sao?</textarea>")
		province.post(review+"/followups", url.Values{"element": {fmt.Sprint(els[0].ID)}, "question": {strings.Repeat("ô", indicators.MaxComment+1)}}).
			mustStatus(t, http.StatusBadRequest).mustContain(t, l.T("quality.followup.error.long", "Max", l.Int(indicators.MaxComment)))
		if rows, _ := indicators.ListFollowups(ctx, db, indicators.FollowupFilter{ReportID: rep.ID}); len(rows) != 0 {
			t.Fatalf("refused questions were saved: %+v", rows)
		}
		// A commune official may not ask.
		commune.post(review+"/followups", url.Values{"element": {fmt.Sprint(els[0].ID)}, "question": {"?"}}).mustStatus(t, http.StatusForbidden)

		const question, answer = "Số hộ giảm nhiều, đề nghị giải thích.", "Hai thôn đã chuyển sang phường bên."
		ask.Set("question", question)
		province.post(review+"/followups", ask).mustStatus(t, http.StatusSeeOther)
		province.get(review+"?done=asked").mustStatus(t, http.StatusOK).mustContain(t, l.T("quality.followup.done.asked"), question, l.T("quality.followup.open"))
		rows, err := indicators.ListFollowups(ctx, db, indicators.FollowupFilter{ReportID: rep.ID})
		if err != nil || len(rows) != 1 {
			t.Fatalf("follow-ups %+v, %v", rows, err)
		}
		answerPath := fmt.Sprintf("/vi/reports/followups/%d", rows[0].ID)

		// Another commune neither sees nor answers it.
		if res := other.get("/vi/reports/followups").mustStatus(t, http.StatusOK); strings.Contains(res.Body, question) {
			t.Error("another commune sees the question")
		}
		other.post(answerPath, url.Values{"answer": {"x"}}).mustStatus(t, http.StatusNotFound)
		commune.post("/vi/reports/followups/999999", url.Values{"answer": {"x"}}).mustStatus(t, http.StatusNotFound)
		province.post(answerPath, url.Values{"answer": {"x"}}).mustStatus(t, http.StatusForbidden)

		// The entry form of the report says a question waits.
		commune.get(fmt.Sprintf("/vi/reports/entry?unit=%s&period=%s", code, m)).mustStatus(t, http.StatusOK).
			mustContain(t, l.N("quality.followup.entry", 1), `href="/vi/reports/followups"`)

		// The commune answers: refused when empty, then sent.
		commune.get("/vi/reports/followups").mustStatus(t, http.StatusOK).mustContain(t, question, `action="`+answerPath+`"`)
		commune.post(answerPath, url.Values{"answer": {" "}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, fmt.Sprintf(`<a href="#answer-%d">%s</a>`, rows[0].ID, l.T("quality.followup.error.empty")))
		commune.post(answerPath, url.Values{"answer": {answer}}).mustStatus(t, http.StatusSeeOther)
		commune.get("/vi/reports/followups?done=answered").mustStatus(t, http.StatusOK).mustContain(t, l.T("quality.followup.done.answered"), answer)

		// The province sees the answer on the report and in the list.
		province.get(review).mustStatus(t, http.StatusOK).mustContain(t, answer, l.T("quality.followup.answered"))
		res := province.get("/en/reports/followups").mustStatus(t, http.StatusOK).mustContain(t, answer, "Open this report")
		if strings.Contains(res.Body, `action="/en/reports/followups/`) {
			t.Error("the province official is offered the commune's answer form")
		}
		for action, who := range map[string]string{"indicators.followup.ask": "province", "indicators.followup.answer": "commune"} {
			got, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{Action: action, Limit: 10})
			if err != nil || len(got) != 1 || got[0].ObjectID != code+"/"+m.String()+"/"+els[0].Code {
				t.Errorf("%s by the %s: %+v, %v; want one entry on the value", action, who, got, err)
			}
		}
	})
}

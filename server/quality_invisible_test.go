package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// A question, an answer or a rule's text holding a character that turns
// what follows round on the page (U+202E) is refused in words at its
// field, in both languages, with what was typed kept; nothing is stored.
func TestQualityInvisibleCharacters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
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
		province := ts.newVisitor()
		province.signInAs(accounts.RoleProvinceOfficial, u.ParentCode)
		commune := ts.newVisitor()
		commune.signInAs(accounts.RoleCommuneOfficial, code)
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		for _, lang := range []i18n.Lang{i18n.VI, i18n.EN} {
			l := ts.srv.bundle.Localizer(lang)
			msg := l.T("quality.error.invisible")
			review := fmt.Sprintf("/%s/reports/review/%d", lang, rep.ID)
			province.post(review+"/followups", url.Values{"element": {fmt.Sprint(els[0].ID)}, "question": {"Vì sao \u202egiảm?"}}).
				mustStatus(t, http.StatusBadRequest).mustContain(t, `<a href="#followup-question">`+msg+`</a>`)
			admin.post("/"+string(lang)+"/admin/rules", url.Values{"name_vi": {"Tên \u202eđảo"}, "name_en": {"Name"}, "message_vi": {"m"}, "message_en": {"m"},
				"left": {"ADULT_SIGNATURE"}, "op": {"<="}, "right": {"ADULT_SMARTPHONE"}}).
				mustStatus(t, http.StatusBadRequest).mustContain(t, `<a href="#name_vi">`+msg+`</a>`)
		}
		if rows, _ := indicators.ListFollowups(ctx, db, indicators.FollowupFilter{ReportID: rep.ID}); len(rows) != 0 {
			t.Fatalf("a refused question was saved: %+v", rows)
		}
		if rules, _ := indicators.Rules(ctx, db); len(rules) != 1 {
			t.Fatalf("a refused rule was saved: %+v", rules)
		}
		province.post(fmt.Sprintf("/vi/reports/review/%d/followups", rep.ID), url.Values{"element": {fmt.Sprint(els[0].ID)}, "question": {"Vì sao giảm?"}}).
			mustStatus(t, http.StatusSeeOther)
		rows, err := indicators.ListFollowups(ctx, db, indicators.FollowupFilter{ReportID: rep.ID})
		if err != nil || len(rows) != 1 {
			t.Fatalf("follow-ups %+v, %v", rows, err)
		}
		l := ts.srv.bundle.Localizer(i18n.VI)
		commune.post(fmt.Sprintf("/vi/reports/followups/%d", rows[0].ID), url.Values{"answer": {"Đúng\u200b vậy"}}).
			mustStatus(t, http.StatusBadRequest).mustContain(t, l.T("quality.error.invisible"))
		if f, _ := indicators.FollowupByID(ctx, db, rows[0].ID); f == nil || f.Answer != "" {
			t.Errorf("a refused answer was saved: %+v", f)
		}
	})
}

package server

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// A rule the portal checks already, an indicator's (fibre households
// within all households) or a stored one written the other way round, is
// refused at its left side in words, the form kept, nothing stored.
func TestAdminRulesDuplicate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		for _, lang := range []i18n.Lang{i18n.VI, i18n.EN} {
			l := ts.srv.bundle.Localizer(lang)
			for _, sides := range [][3]string{{"hh_fibre", "<=", "HH_TOTAL"}, {"POP_15", ">=", "POP_WORKING"}} {
				form := url.Values{"name_vi": {"Lặp lại"}, "name_en": {"Again"}, "message_vi": {"Lặp lại"}, "message_en": {"Again"},
					"left": {sides[0]}, "op": {sides[1]}, "right": {sides[2]}}
				admin.post("/"+string(lang)+"/admin/rules", form).mustStatus(t, http.StatusBadRequest).
					mustContain(t, `<a href="#left">`+l.T("quality.rules.error.duplicate")+`</a>`, `value="Lặp lại"`)
			}
		}
		if rules, err := indicators.Rules(t.Context(), db); err != nil || len(rules) != 1 {
			t.Fatalf("rules %+v, %v: want only the built-in one", rules, err)
		}
	})
}

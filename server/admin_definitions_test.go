package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// TestAdminDefinitionsForms sends the definitions forms through the
// router: what the domain refuses comes back on its field in the reader's
// language with 400, and what it accepts is saved and leads back to the
// list.
func TestAdminDefinitionsForms(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	l := ts.srv.bundle.Localizer(i18n.EN)
	ctx := context.Background()
	pop, err := indicators.IndicatorByCode(ctx, db, indicators.IndSmartphone)
	if err != nil {
		t.Fatal(err)
	}
	errorOn := func(field, msgID string) string {
		return fmt.Sprintf(`id="%s-error">%s<`, field, l.T(msgID))
	}
	// The selects word their error without an id.
	selectError := func(msgID string) string {
		return fmt.Sprintf(`<span class="field-error">%s<`, l.T(msgID))
	}
	element := fmt.Sprintf("/en/admin/definitions/elements/%d", pop.DenominatorID)
	for _, c := range []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"a share past 1000%", "/en/admin/definitions/settings", url.Values{"jump": {"1001"}, "home": {"79"}}, errorOn("jump", "indicators.admin.defs.error.jump")},
		{"an unreadable share", "/en/admin/definitions/settings", url.Values{"jump": {"NaN"}, "home": {"79"}}, errorOn("jump", "indicators.admin.defs.error.jump")},
		{"a home unit that ended", "/en/admin/definitions/settings", url.Values{"jump": {"30"}, "home": {"77"}}, errorOn("home", "indicators.admin.defs.error.home")},
		{"a target over 100%", "/en/admin/definitions/targets", url.Values{"indicator": {"SMARTPHONE"}, "year": {"2027"}, "value": {"101"}, "source_vi": {"Kế hoạch"}, "source_en": {"Plan"}},
			errorOn("value", "indicators.admin.defs.error.value")},
		{"a target of an unknown indicator", "/en/admin/definitions/targets", url.Values{"indicator": {"NOPE"}, "year": {"2027"}, "value": {"80"}, "source_vi": {"Kế hoạch"}, "source_en": {"Plan"}},
			selectError("indicators.admin.defs.error.indicator")},
		{"an age of 999", element, url.Values{"name_vi": {"Dân số"}, "name_en": {"Population"}, "min_age": {"999"}},
			errorOn("min_age", "indicators.admin.element.error.age")},
		{"an indicator over one element", "/en/admin/definitions/indicators/SMARTPHONE",
			url.Values{"name_vi": {pop.NameVI}, "name_en": {pop.NameEN}, "numerator": {fmt.Sprint(pop.NumeratorID)}, "denominator": {"99999"}},
			selectError("indicators.admin.indicator.error.elements")},
	} {
		t.Run(c.name, func(t *testing.T) {
			admin.post(c.path, c.form).mustStatus(t, http.StatusBadRequest).mustContain(t, l.T("error.title_prefix"), c.want)
		})
	}
	if share, err := indicators.JumpShare(ctx, db); err != nil || share != indicators.DefaultJumpShare {
		t.Errorf("after refusals the share is %v, %v; want it unchanged", share, err)
	}

	admin.post("/en/admin/definitions/settings", url.Values{"jump": {"45,5"}, "home": {"79"}, "complete": {"90"}}).mustStatus(t, http.StatusSeeOther)
	if share, err := indicators.JumpShare(ctx, db); err != nil || share != 0.455 {
		t.Errorf("share = %v, %v; want 0.455", share, err)
	}
	admin.post("/en/admin/definitions/targets", url.Values{"indicator": {"SMARTPHONE"}, "year": {"2027"}, "value": {"85,5"}, "source_vi": {"Kế hoạch"}, "source_en": {"Plan"}}).
		mustStatus(t, http.StatusSeeOther)
	admin.get("/en/admin/definitions?done=saved").mustStatus(t, http.StatusOK).mustContain(t, "≥ 85.5%", "45.5")
}

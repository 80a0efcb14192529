package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/teams"
)

// helperPathSlug is the learning path for team members, which the help log
// links to (issue 21, item 6).
const helperPathSlug = "thanh-vien-to-cong-nghe-so"

// TestPathForTeamMembers: a helper's log page, with a team or without one,
// links to the team members' path in each language; the path holds the
// three lessons written for helpers; and anyone, signed in or not, can open
// it, pass its lessons and get its certificate like any other path's.
func TestPathForTeamMembers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		path, ok := ts.srv.lessons.lib.Path(helperPathSlug)
		if !ok {
			t.Fatalf("no learning path %s, which the help log links to", helperPathSlug)
		}
		for _, want := range []string{"ho-tro-khong-giu-ma-bi-mat", "chan-ke-gian-khi-di-ho-tro", "ghi-nhat-ky-ho-tro"} {
			if !slices.Contains(path.Lessons, want) {
				t.Errorf("path %s lists %v, want it to hold %s", helperPathSlug, path.Lessons, want)
			}
		}

		a, _ := twoCommunes(t, db)
		team, err := teams.Create(context.Background(), db, accounts.Actor{System: "test"}, a, teams.Input{Name: "Tổ thôn Bắc", Households: "80"})
		if err != nil {
			t.Fatal(err)
		}
		member := ts.newVisitor()
		joinTeam(t, db, team.ID, member.signInAs(accounts.RoleHelper, a).ID)
		teamless := ts.newVisitor()
		teamless.signInAs(accounts.RoleHelper, a)
		for _, lang := range i18n.Langs() {
			l := "/" + string(lang)
			link := `<a href="` + l + `/paths/` + helperPathSlug + `">`
			member.get(l+"/teams/log").mustStatus(t, http.StatusOK).mustContain(t, "Tổ thôn Bắc", link)
			teamless.get(l+"/teams/log").mustStatus(t, http.StatusOK).mustContain(t, link)

			// Anyone can learn: the path page needs no sign-in.
			anon := ts.newVisitor()
			page := anon.get(l+"/paths/"+helperPathSlug).mustStatus(t, http.StatusOK).mustContain(t, path.Name[lang])
			for _, slug := range path.Lessons {
				page.mustContain(t, `href="`+l+`/lessons/`+slug+`"`)
			}
		}

		// An anonymous learner passes every lesson and gets the certificate.
		learner := ts.newVisitor()
		learner.post("/vi/paths/"+helperPathSlug+"/certificate", url.Values{"name": {"Lê Văn Minh"}, "consent": {"yes"}}).
			mustStatus(t, http.StatusBadRequest).mustContain(t, "hoàn thành tất cả các bài")
		for _, slug := range path.Lessons {
			learner.post("/vi/lessons/"+slug, answers(t, ts, slug, i18n.VI, false)).mustStatus(t, http.StatusOK)
		}
		res := learner.post("/vi/paths/"+helperPathSlug+"/certificate", url.Values{"name": {"Lê Văn Minh"}, "consent": {"yes"}}).mustStatus(t, http.StatusSeeOther)
		m := certCodeRe.FindStringSubmatch(res.Header.Get("Location"))
		if m == nil {
			t.Fatalf("issued to %q, want a certificate's print page", res.Header.Get("Location"))
		}
		ts.newVisitor().get("/en/certificates/"+m[1]).mustStatus(t, http.StatusOK).
			mustContain(t, "This certificate is genuine", "Lê Văn Minh", path.Name[i18n.EN])
	})
}

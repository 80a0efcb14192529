package server

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/content"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// consentSlug is a lesson the consent checks pass.
const consentSlug = "mat-khau-va-xac-thuc-hai-buoc"

// consentPlace is one place where data of a consent's purpose comes to be
// kept under an account. act does, as the user u (signed in on ts unless
// the place is the sign-in itself), what writes the data; kept reports
// whether data of the purpose is now kept under u.
type consentPlace struct {
	purpose string
	place   string
	act     func(t *testing.T, ts *testServer, u *accounts.User)
}

// keptUnder reports whether data of purpose is kept under the account.
func keptUnder(t *testing.T, db *bun.DB, purpose string, userID int64) bool {
	t.Helper()
	ctx := context.Background()
	var n int64
	var err error
	switch purpose {
	case content.ProgressPurpose:
		n, err = db.NewSelect().Model((*content.Learner)(nil)).Where("user_id = ?", userID).Count(ctx)
	case assessments.AccountPurpose:
		n, err = db.NewSelect().Model((*assessments.Series)(nil)).Where("owner_id = ?", userID).Count(ctx)
	default:
		t.Fatalf("no check for purpose %q: add one here and its places below", purpose)
	}
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// consentPlaces lists, for every purpose the portal asks consent for, every
// place that keeps data of that purpose under an account.
func consentPlaces() []consentPlace {
	pass := func(t *testing.T, ts *testServer) {
		ts.post("/vi/lessons/"+consentSlug, answers(t, ts, consentSlug, i18n.VI, false)).mustStatus(t, http.StatusOK)
	}
	return []consentPlace{
		{content.ProgressPurpose, "lesson passed while signed in (ensureLearner)", func(t *testing.T, ts *testServer, u *accounts.User) {
			pass(t, ts)
		}},
		{content.ProgressPurpose, "certificate asked while signed in (ensureLearner)", func(t *testing.T, ts *testServer, u *accounts.User) {
			slug := ts.srv.lessons.lib.Paths[0].Slug
			finishPath(t, ts, i18n.VI, slug)
			ts.post("/vi/paths/"+slug+"/certificate", url.Values{"name": {"Người Học"}, "consent": {"yes"}}).mustStatus(t, http.StatusSeeOther)
		}},
		{content.ProgressPurpose, "visitor's progress carried at sign-in (mergeLessonProgress)", func(t *testing.T, ts *testServer, u *accounts.User) {
			ts.post("/vi/logout", nil)
			pass(t, ts)
			ts.signInAgain(t, u)
		}},
		{content.ProgressPurpose, "resume code entered while signed in (progressResume)", func(t *testing.T, ts *testServer, u *accounts.User) {
			v := ts.newVisitor()
			res := v.post("/vi/lessons/"+consentSlug, answers(t, v, consentSlug, i18n.VI, false)).mustStatus(t, http.StatusOK)
			m := resumeCodeRe.FindStringSubmatch(res.Body)
			if m == nil {
				t.Fatal("no resume code after a pass")
			}
			ts.post("/vi/progress/resume", url.Values{"code": {m[1]}}).mustStatus(t, http.StatusSeeOther)
		}},
		{content.ProgressPurpose, "content.EnsureUserLearner", func(t *testing.T, ts *testServer, u *accounts.User) {
			if _, err := content.EnsureUserLearner(context.Background(), ts.db, u.ID, ts.srv.lessons.now()); err != nil && err != content.ErrNoConsent {
				t.Fatal(err)
			}
		}},
		{content.ProgressPurpose, "content.MergeProgress", func(t *testing.T, ts *testServer, u *accounts.User) {
			l, err := content.NewLearner(context.Background(), ts.db, ts.srv.lessons.now())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := content.MergeProgress(context.Background(), ts.db, l.ID, u.ID, ts.srv.lessons.now()); err != nil {
				t.Fatal(err)
			}
		}},
		{assessments.AccountPurpose, "assessment started while signed in", func(t *testing.T, ts *testServer, u *accounts.User) {
			startAssessment(t, ts, "vi")
		}},
		{assessments.AccountPurpose, "visitor's assessment carried at sign-in (assessmentKeepSession)", func(t *testing.T, ts *testServer, u *accounts.User) {
			ts.post("/vi/logout", nil)
			startAssessment(t, ts, "vi")
			ts.signInAgain(t, u)
		}},
		{assessments.AccountPurpose, "assessments.KeepUnderAccount", func(t *testing.T, ts *testServer, u *accounts.User) {
			v := ts.newVisitor()
			id, _ := startAssessment(t, v, "vi")
			r, err := assessments.Get(context.Background(), ts.db, id)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := assessments.KeepUnderAccount(context.Background(), ts.db, u.ID, r.SeriesID); err != nil {
				t.Fatal(err)
			}
		}},
	}
}

// TestConsentCheckedWherePersonalDataIsKept goes through every place of
// every purpose twice: for a user who did not consent nothing is kept under
// the account; for one who did, it is (so the check is not vacuous).
func TestConsentCheckedWherePersonalDataIsKept(t *testing.T) {
	places := consentPlaces()
	for _, p := range accounts.Purposes() {
		found := false
		for _, pl := range places {
			found = found || pl.purpose == p.ID
		}
		if !found {
			t.Errorf("purpose %q has no place listed", p.ID)
		}
	}
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		for _, pl := range places {
			for _, consent := range []bool{false, true} {
				v := ts.newVisitor()
				v.t = t
				u := v.signInAs(accounts.RoleBusiness, "")
				if consent {
					if err := accounts.GrantConsent(context.Background(), db, u.ID, pl.purpose); err != nil {
						t.Fatal(err)
					}
				}
				pl.act(t, v, u)
				if got := keptUnder(t, db, pl.purpose, u.ID); got != consent {
					t.Errorf("%s / %s, consent %v: kept under the account = %v", pl.purpose, pl.place, consent, got)
				}
			}
		}
	})
}

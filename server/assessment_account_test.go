package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/database/dbtest"
)

// signInAgain signs an existing user (made by signInAs) in from this
// visitor: the same person on another device.
func (ts *testServer) signInAgain(t *testing.T, u *accounts.User) {
	t.Helper()
	ts.signInWith(u.Email, testPassword)
}

// consentToKeep ticks, or unticks, the consent to keep self-assessments
// under the account on the account page, leaving the other purposes
// unticked.
func consentToKeep(t *testing.T, ts *testServer, yes bool) {
	t.Helper()
	f := url.Values{}
	if yes {
		f.Set("consent_"+assessments.AccountPurpose, "yes")
	}
	if to := location(t, ts.post("/vi/account/consents", f)); to != "/vi/account?saved=1" {
		t.Fatalf("consents saved, then went to %q", to)
	}
}

// seriesOwner returns the account the series of response id is kept under.
func seriesOwner(t *testing.T, db *bun.DB, id string) int64 {
	t.Helper()
	ctx := context.Background()
	r, err := assessments.Get(ctx, db, id)
	if err != nil {
		t.Fatal(err)
	}
	s, err := assessments.GetSeries(ctx, db, r.SeriesID)
	if err != nil {
		t.Fatal(err)
	}
	return s.OwnerID
}

// TestAssessmentKeptUnderAccount: a signed-in business that consents keeps
// the assessment it starts under its account, opens it on another device
// without the code and finds it on the account page; nobody else gains
// anything from that.
func TestAssessmentKeptUnderAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		phone := ts.newVisitor()
		u := phone.signInAs(accounts.RoleBusiness, "")
		consentToKeep(t, phone, true)
		id, _ := startAssessment(t, phone, "vi")
		if got := seriesOwner(t, db, id); got != u.ID {
			t.Fatalf("series kept under %d, want %d", got, u.ID)
		}
		base := "/vi/assessment/" + id + "/"

		// On another device, signed in: the page opens and takes answers,
		// without any code.
		laptop := ts.newVisitor()
		laptop.get(base+"profile").mustStatus(t, http.StatusNotFound) // not signed in yet
		laptop.signInAgain(t, u)
		laptop.get("/vi/account").mustStatus(t, http.StatusOK).
			mustContain(t, "Bài tự đánh giá lưu trong tài khoản", `href="`+base+`profile"`, "Đang làm, chưa gửi")
		laptop.get(base+"saved").mustStatus(t, http.StatusOK).
			mustContain(t, "đã được lưu vào tài khoản của bạn", `href="/vi/account#assessments"`)
		completeAssessment(t, laptop, "vi", id, false)
		laptop.get(base+"result").mustStatus(t, http.StatusOK).mustContain(t, "Hình thành")
		laptop.get("/en/account").mustStatus(t, http.StatusOK).
			mustContain(t, "Self-assessments kept in your account", `href="/en/assessment/`+id+`/result"`, "Level 3: Forming")
		laptop.get("/vi/assessment").mustStatus(t, http.StatusOK).mustContain(t, `href="/vi/account#assessments"`)

		// Take it again from the laptop: the account page offers both.
		next := location(t, laptop.post(base+"retake", nil))
		m := assessmentPath.FindStringSubmatch(next)
		if m == nil {
			t.Fatalf("retake went to %q", next)
		}
		phone.get("/vi/account").mustStatus(t, http.StatusOK).
			mustContain(t, `href="`+base+`result"`, `href="/vi/assessment/`+m[2]+`/`, "Làm tiếp lần đánh giá mới", "Mức 3: Hình thành")

		// Another business, signed in and consenting, and an anonymous
		// visitor: the link opens nothing for them.
		other := ts.newVisitor()
		other.signInAs(accounts.RoleBusiness, "")
		consentToKeep(t, other, true)
		anon := ts.newVisitor()
		for _, v := range []*testServer{other, anon} {
			for _, p := range []string{"result", "report", "profile", "saved"} {
				v.get(base+p).mustStatus(t, http.StatusNotFound)
			}
			v.post(base+"retake", nil).mustStatus(t, http.StatusNotFound)
			v.post(base+"consent", url.Values{"consent": {assessments.ConsentVersion}}).mustStatus(t, http.StatusNotFound)
			v.post("/vi/assessment/"+m[2]+"/profile", shopProfile(t, v)).mustStatus(t, http.StatusNotFound)
		}
		if strings.Contains(other.get("/vi/account").mustStatus(t, http.StatusOK).Body, id) {
			t.Error("another account's page lists the series")
		}
		if got := seriesOwner(t, db, id); got != u.ID {
			t.Errorf("after the others tried: kept under %d, want %d", got, u.ID)
		}
	})
}

// TestAssessmentNotKeptWithoutConsent: signed in but without the consent,
// nothing is kept under the account; the resume code works as before.
func TestAssessmentNotKeptWithoutConsent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		v := ts.newVisitor()
		u := v.signInAs(accounts.RoleBusiness, "")
		id, code := startAssessment(t, v, "vi")
		completeAssessment(t, v, "vi", id, false)
		v.post("/vi/assessment/"+id+"/retake", nil).mustStatus(t, http.StatusSeeOther)
		if got := seriesOwner(t, db, id); got != 0 {
			t.Fatalf("kept under %d without consent", got)
		}
		res := v.get("/vi/account").mustStatus(t, http.StatusOK)
		if strings.Contains(res.Body, "Bài tự đánh giá lưu trong tài khoản") || strings.Contains(res.Body, id) {
			t.Error("the account page lists an assessment kept without consent")
		}
		elsewhere := ts.newVisitor()
		elsewhere.signInAgain(t, u)
		elsewhere.get("/vi/assessment/"+id+"/result").mustStatus(t, http.StatusNotFound)
		// The code still opens it, anywhere.
		fresh := ts.newVisitor()
		location(t, fresh.post("/vi/assessment/resume", url.Values{"code": {code}}))
		fresh.get("/vi/assessment/"+id+"/result").mustStatus(t, http.StatusOK)
	})
}

// TestAssessmentKeptOnResumeAndSignIn: a consenting user keeps what they
// resume with a code, and what this browser holds when they sign in or
// grant the consent; a series kept under one account is never moved to
// another by its code.
func TestAssessmentKeptOnResumeAndSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)

		// Resumed with the code, signed in with consent.
		anon := ts.newVisitor()
		id, code := startAssessment(t, anon, "vi")
		v := ts.newVisitor()
		u := v.signInAs(accounts.RoleBusiness, "")
		consentToKeep(t, v, true)
		location(t, v.post("/vi/assessment/resume", url.Values{"code": {code}}))
		if got := seriesOwner(t, db, id); got != u.ID {
			t.Fatalf("resumed by code: kept under %d, want %d", got, u.ID)
		}
		// Someone else with the code opens it, but it stays where it is.
		w := ts.newVisitor()
		w.signInAs(accounts.RoleBusiness, "")
		consentToKeep(t, w, true)
		location(t, w.post("/vi/assessment/resume", url.Values{"code": {code}}))
		w.get("/vi/assessment/"+id+"/profile").mustStatus(t, http.StatusOK)
		if got := seriesOwner(t, db, id); got != u.ID {
			t.Errorf("another account's resume moved it to %d", got)
		}

		// Started anonymously, then signed in by a user who consents.
		id2, _ := startAssessment(t, anon, "vi")
		anon.signInAgain(t, u)
		if got := seriesOwner(t, db, id2); got != u.ID {
			t.Errorf("at sign-in: kept under %d, want %d", got, u.ID)
		}

		// Started while signed in without consent, then the consent given.
		x := ts.newVisitor()
		xu := x.signInAs(accounts.RoleBusiness, "")
		id3, _ := startAssessment(t, x, "vi")
		if got := seriesOwner(t, db, id3); got != 0 {
			t.Fatalf("kept under %d before the consent", got)
		}
		consentToKeep(t, x, true)
		if got := seriesOwner(t, db, id3); got != xu.ID {
			t.Errorf("at consent: kept under %d, want %d", got, xu.ID)
		}
	})
}

// TestAssessmentAccountExportDeleteWithdraw: the export holds the series
// with answers and result; withdrawing the consent, or deleting the
// account, cuts it loose and the result stays, anonymous.
func TestAssessmentAccountExportDeleteWithdraw(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ts := newTestServer(t, db)
		v := ts.newVisitor()
		u := v.signInAs(accounts.RoleBusiness, "")
		consentToKeep(t, v, true)
		id, _ := startAssessment(t, v, "vi")
		completeAssessment(t, v, "vi", id, true)

		res := v.post("/vi/account/export", nil).mustStatus(t, http.StatusOK)
		var x struct {
			Parts struct {
				Assessments assessments.UserExport `json:"assessments"`
			} `json:"parts"`
		}
		if err := json.Unmarshal([]byte(res.Body), &x); err != nil {
			t.Fatal(err)
		}
		series := x.Parts.Assessments.Series
		if len(series) != 1 || len(series[0].Responses) != 1 {
			t.Fatalf("exported series: %+v", series)
		}
		got := series[0].Responses[0]
		if got.ID != id || got.Level == nil || *got.Level != 3 || len(got.Answers) == 0 || got.StatisticsConsent != assessments.ConsentVersion {
			t.Errorf("exported response: %+v", got)
		}

		// Withdrawing the consent cuts it loose: the other device no longer
		// opens it, this browser (which holds the code) still does.
		other := ts.newVisitor()
		other.signInAgain(t, u)
		other.get("/vi/assessment/"+id+"/result").mustStatus(t, http.StatusOK)
		consentToKeep(t, v, false)
		if got := seriesOwner(t, db, id); got != 0 {
			t.Fatalf("kept under %d after the consent was withdrawn", got)
		}
		other.get("/vi/assessment/"+id+"/result").mustStatus(t, http.StatusNotFound)
		v.get("/vi/assessment/"+id+"/result").mustStatus(t, http.StatusOK)
		if strings.Contains(v.get("/vi/account").mustStatus(t, http.StatusOK).Body, id) {
			t.Error("the account page lists the series after the consent was withdrawn")
		}

		// Consent again, keep it again (resumed here), then delete the
		// account: cut loose, the result stays.
		consentToKeep(t, v, true)
		if got := seriesOwner(t, db, id); got != u.ID {
			t.Fatalf("kept under %d after consenting again", got)
		}
		v.post("/vi/account/delete", url.Values{"password": {testPassword}}).mustStatus(t, http.StatusSeeOther)
		if got := seriesOwner(t, db, id); got != 0 {
			t.Errorf("kept under %d after the account was deleted", got)
		}
		r, err := assessments.Get(ctx, db, id)
		if err != nil || !r.Submitted() || r.Level != 3 || !r.Consented() {
			t.Errorf("the result after the account was deleted: %+v, %v", r, err)
		}
	})
}

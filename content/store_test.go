package content

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

var t0 = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

func mustLearner(t *testing.T, db bun.IDB) *Learner {
	t.Helper()
	l, err := NewLearner(context.Background(), db, t0)
	if err != nil {
		t.Fatal(err)
	}
	if l.ID == 0 {
		t.Fatal("NewLearner returned ID 0")
	}
	if _, err := ParseResumeCode(l.ResumeCode); err != nil {
		t.Fatalf("resume code %q: %v", l.ResumeCode, err)
	}
	return l
}

// consenting makes users with the given IDs who consent to keeping their
// lesson progress under the account.
func consenting(t *testing.T, db bun.IDB, ids ...int64) {
	t.Helper()
	ctx := context.Background()
	for _, id := range ids {
		u := &accounts.User{ID: id, Email: fmt.Sprintf("u%d@example.test", id), Role: accounts.RoleResident, CreatedAt: t0, SessionsValidAfter: t0}
		if _, err := db.NewInsert().Model(u).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if err := accounts.GrantConsent(ctx, db, id, ProgressPurpose); err != nil {
			t.Fatal(err)
		}
	}
}

func mustPass(t *testing.T, db bun.IDB, learner int64, at time.Time, slugs ...string) {
	t.Helper()
	for _, s := range slugs {
		if _, err := RecordPass(context.Background(), db, learner, s, at); err != nil {
			t.Fatal(err)
		}
	}
}

func TestProgressStore(t *testing.T) {
	t.Parallel() // each subtest has databases of its own
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		l := mustLearner(t, db)
		got, err := LearnerByResumeCode(ctx, db, l.ResumeCode)
		if err != nil || got.ID != l.ID {
			t.Fatalf("LearnerByResumeCode = %v, %v; want learner %d", got, err, l.ID)
		}
		if _, err := LearnerByResumeCode(ctx, db, "2222222222"); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("unknown resume code: err = %v, want ErrNotFound", err)
		}
		first, err := RecordPass(ctx, db, l.ID, "nop-ho-so", t0)
		if err != nil || !first {
			t.Fatalf("first RecordPass = %v, %v; want true", first, err)
		}
		first, err = RecordPass(ctx, db, l.ID, "nop-ho-so", t0.Add(time.Hour))
		if err != nil || first {
			t.Fatalf("second RecordPass = %v, %v; want false", first, err)
		}
		done, err := Completions(ctx, db, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if at, ok := done["nop-ho-so"]; !ok || !at.Equal(t0) {
			t.Errorf("completion = %v, %v; want %v (the first pass)", at, ok, t0)
		}
		usage, err := UsageOfMonth(ctx, db, "2026-11")
		if err != nil {
			t.Fatal(err)
		}
		if len(usage) != 1 || usage[0].Completions != 1 || usage[0].Views != 0 {
			t.Errorf("usage = %+v, want one completion of nop-ho-so", usage)
		}
	})
}

func TestMergeLearners(t *testing.T) {
	t.Parallel() // each subtest has databases of its own
	lib := fixtureLibrary(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		phone, laptop := mustLearner(t, db), mustLearner(t, db)
		early, late := t0, t0.Add(48*time.Hour)
		mustPass(t, db, phone.ID, late, "nop-ho-so")
		mustPass(t, db, phone.ID, early, "mat-khau-manh")
		mustPass(t, db, laptop.ID, early, "nop-ho-so")
		mustPass(t, db, laptop.ID, late, "mat-khau-manh", "nhan-dien-lua-dao")
		cert, err := IssueCertificate(ctx, db, lib, laptop.ID, "an-toan", "Trần Thị B", late)
		if err != nil {
			t.Fatal(err)
		}
		if err := MergeLearners(ctx, db, laptop.ID, phone.ID); err != nil {
			t.Fatal(err)
		}
		done, err := Completions(ctx, db, phone.ID)
		if err != nil {
			t.Fatal(err)
		}
		for slug, want := range map[string]time.Time{"nop-ho-so": early, "mat-khau-manh": early, "nhan-dien-lua-dao": late} {
			if !done[slug].Equal(want) {
				t.Errorf("%s completed %v, want %v (the earlier)", slug, done[slug], want)
			}
		}
		if _, err := LearnerByID(ctx, db, laptop.ID); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("merged learner still there: %v", err)
		}
		if _, err := LearnerByResumeCode(ctx, db, laptop.ResumeCode); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("merged learner's resume code still works: %v", err)
		}
		certs, err := CertificatesOf(ctx, db, phone.ID)
		if err != nil || len(certs) != 1 || certs[0].Code != cert.Code {
			t.Errorf("certificates of the merged learner = %v, %v; want %s", certs, err, cert.Code)
		}
	})
}

func TestMergeProgressAtSignIn(t *testing.T) {
	t.Parallel() // each subtest has databases of its own
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		consenting(t, db, 42, 43)
		anon := mustLearner(t, db)
		mustPass(t, db, anon.ID, t0, "nop-ho-so")
		id, err := MergeProgress(ctx, db, anon.ID, 42, t0)
		if err != nil {
			t.Fatal(err)
		}
		done, err := Completions(ctx, db, id)
		if err != nil || len(done) != 1 {
			t.Fatalf("user's completions = %v, %v; want nop-ho-so", done, err)
		}
		// Signing in again with nothing in the session keeps the progress.
		again, err := MergeProgress(ctx, db, 0, 42, t0)
		if err != nil || again != id {
			t.Fatalf("MergeProgress(0) = %d, %v; want %d", again, err, id)
		}
		// Another user's learner in a session is never taken over.
		other, err := MergeProgress(ctx, db, 0, 43, t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := MergeProgress(ctx, db, id, 43, t0); err != nil {
			t.Fatal(err)
		}
		if done, _ := Completions(ctx, db, other); len(done) != 0 {
			t.Errorf("user 43 got user 42's progress: %v", done)
		}
		if done, _ := Completions(ctx, db, id); len(done) != 1 {
			t.Errorf("user 42 lost progress: %v", done)
		}
		if err := MergeLearners(ctx, db, id, other); !errors.Is(err, ErrNotAnonymous) {
			t.Errorf("MergeLearners(user's learner) = %v, want ErrNotAnonymous", err)
		}
		// A stale learner ID in a session is harmless.
		if _, err := MergeProgress(ctx, db, 999999, 42, t0); err != nil {
			t.Errorf("MergeProgress(stale id) = %v, want nil", err)
		}
		if err := DeleteUserProgress(ctx, db, 42, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := LearnerForUser(ctx, db, 42); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("learner of deleted user: %v, want ErrNotFound", err)
		}
		if err := DeleteUserProgress(ctx, db, 42, t0); err != nil {
			t.Errorf("second DeleteUserProgress = %v, want nil", err)
		}
	})
}

func TestCertificates(t *testing.T) {
	t.Parallel() // each subtest has databases of its own
	lib := fixtureLibrary(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		l := mustLearner(t, db)
		mustPass(t, db, l.ID, t0, "mat-khau-manh")
		if _, err := IssueCertificate(ctx, db, lib, l.ID, "an-toan", "Lê Văn C", t0); !errors.Is(err, ErrPathIncomplete) {
			t.Fatalf("incomplete path: err = %v, want ErrPathIncomplete", err)
		}
		mustPass(t, db, l.ID, t0, "nhan-dien-lua-dao")
		for _, bad := range []string{"", "   ", "a\x00b", string(make([]rune, MaxHolderName+1))} {
			if _, err := IssueCertificate(ctx, db, lib, l.ID, "an-toan", bad, t0); !errors.Is(err, ErrHolderName) {
				t.Errorf("name %q: err = %v, want ErrHolderName", bad, err)
			}
		}
		if _, err := IssueCertificate(ctx, db, lib, l.ID, "khong-co", "Lê Văn C", t0); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("unknown path: err = %v, want ErrNotFound", err)
		}
		cert, err := IssueCertificate(ctx, db, lib, l.ID, "an-toan", "  Lê   Văn C ", t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseCertificateCode(cert.Code); err != nil {
			t.Errorf("issued code %q: %v", cert.Code, err)
		}
		for _, name := range []string{"Lê Văn C", "Lê Văn Cường"} {
			again, err := IssueCertificate(ctx, db, lib, l.ID, "an-toan", name, t0.Add(time.Minute))
			if err != nil || again.Code != cert.Code || again.HolderName != "Lê Văn C" {
				t.Errorf("asked again as %q = %+v, %v; want the first certificate %s", name, again, err, cert.Code)
			}
		}
		got, err := CertificateByCode(ctx, db, cert.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.HolderName != "Lê Văn C" || got.PathName(i18n.EN) != "Safety" || len(got.Lessons) != 2 ||
			got.Lessons[0].Title(i18n.VI) != "Mật khẩu mạnh và xác thực hai bước" || !got.IssuedAt.Equal(t0) {
			t.Errorf("certificate = %+v", got)
		}
		if _, err := CertificateByCode(ctx, db, "22222222222222A"); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("unknown code: err = %v, want ErrNotFound", err)
		}
		stranger := mustLearner(t, db)
		if err := WithdrawCertificate(ctx, db, cert.Code, stranger.ID, t0); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("withdraw by a stranger: err = %v, want ErrNotFound", err)
		}
		if err := WithdrawCertificate(ctx, db, cert.Code, l.ID, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, err = CertificateByCode(ctx, db, cert.Code)
		if err != nil || !got.Withdrawn() || got.HolderName != "" {
			t.Errorf("withdrawn certificate = %+v, %v; want withdrawn with the name erased", got, err)
		}
		if list, _ := CertificatesOf(ctx, db, l.ID); len(list) != 0 {
			t.Errorf("CertificatesOf lists a withdrawn certificate: %v", list)
		}
		issued, err := CertificatesIssued(ctx, db, "2026-10", "2026-12")
		if err != nil || issued["2026-11"] != 1 {
			t.Errorf("CertificatesIssued = %v, %v; want 2026-11: 1", issued, err)
		}
		// Withdrawn, the path is free for a certificate under another name.
		renamed, err := IssueCertificate(ctx, db, lib, l.ID, "an-toan", "Lê Văn Cường", t0.Add(2*time.Hour))
		if err != nil || renamed.Code == cert.Code || renamed.HolderName != "Lê Văn Cường" {
			t.Errorf("after withdrawing: %+v, %v; want a new certificate under the new name", renamed, err)
		}
	})
}

// TestCertificateOncePerPath: requests that arrive together, as from a
// double click or two tabs, make one certificate between them.
func TestCertificateOncePerPath(t *testing.T) {
	t.Parallel() // each subtest has databases of its own
	lib := fixtureLibrary(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		l := mustLearner(t, db)
		mustPass(t, db, l.ID, t0, "mat-khau-manh")
		mustPass(t, db, l.ID, t0, "nhan-dien-lua-dao")
		const n = 4
		got := make(chan string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				c, err := IssueCertificate(ctx, db, lib, l.ID, "an-toan", fmt.Sprintf("Người %d", i), t0)
				if err != nil {
					t.Errorf("issue %d: %v", i, err)
					return
				}
				got <- c.Code
			})
		}
		wg.Wait()
		close(got)
		codes := map[string]bool{}
		for c := range got {
			codes[c] = true
		}
		if len(codes) != 1 {
			t.Errorf("%d requests at once made certificates %v, want one", n, codes)
		}
		if list, err := CertificatesOf(ctx, db, l.ID); err != nil || len(list) != 1 {
			t.Errorf("CertificatesOf = %d, %v; want 1", len(list), err)
		}
	})
}

func TestUsageCountsByMonthInVietnam(t *testing.T) {
	t.Parallel() // each subtest has databases of its own
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		// 17:30 UTC on 31 October is 00:30 on 1 November in Hà Nội.
		lateOct := time.Date(2026, 10, 31, 16, 59, 0, 0, time.UTC)
		earlyNov := time.Date(2026, 10, 31, 17, 30, 0, 0, time.UTC)
		views := NewViewCounter()
		for _, at := range []time.Time{lateOct, earlyNov, earlyNov} {
			views.Add("nop-ho-so", at)
		}
		if err := views.Flush(ctx, db); err != nil {
			t.Fatal(err)
		}
		l := mustLearner(t, db)
		mustPass(t, db, l.ID, earlyNov, "nop-ho-so", "mat-khau-manh")
		months, err := UsageByMonth(ctx, db, "2026-09", "2026-11")
		if err != nil {
			t.Fatal(err)
		}
		want := []Usage{{"2026-09", 0, 0}, {"2026-10", 1, 0}, {"2026-11", 2, 2}}
		if len(months) != len(want) {
			t.Fatalf("UsageByMonth = %+v, want %+v", months, want)
		}
		for i := range want {
			if months[i] != want[i] {
				t.Errorf("UsageByMonth[%d] = %+v, want %+v", i, months[i], want[i])
			}
		}
		counts, err := CompletionCounter{DB: db}.CountByMonth(ctx, time.Date(2026, 8, 15, 0, 0, 0, 0, time.UTC), earlyNov)
		if err != nil {
			t.Fatal(err)
		}
		wantCounts := map[string]int64{"2026-08": 0, "2026-09": 0, "2026-10": 0, "2026-11": 2}
		if len(counts) != len(wantCounts) {
			t.Errorf("CountByMonth = %v, want %v", counts, wantCounts)
		}
		for k, v := range wantCounts {
			if got, ok := counts[k]; !ok || got != v {
				t.Errorf("CountByMonth[%s] = %d (present %v), want %d", k, got, ok, v)
			}
		}
		perLesson, err := UsageOfMonth(ctx, db, "2026-11")
		if err != nil || len(perLesson) != 2 || perLesson[0] != (Usage{"nop-ho-so", 2, 1}) {
			t.Errorf("UsageOfMonth = %+v, %v; want nop-ho-so first with 2 views, 1 completion", perLesson, err)
		}
		if _, err := UsageOfMonth(ctx, db, "2026-13"); err == nil {
			t.Error("UsageOfMonth(2026-13) succeeded, want an error")
		}
	})
}

func TestDeleteStaleLearners(t *testing.T) {
	t.Parallel() // each subtest has databases of its own
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		old, fresh := mustLearner(t, db), mustLearner(t, db)
		if err := Touch(ctx, db, fresh.ID, t0.AddDate(0, 6, 0)); err != nil {
			t.Fatal(err)
		}
		consenting(t, db, 7)
		if _, err := EnsureUserLearner(ctx, db, 7, t0); err != nil {
			t.Fatal(err)
		}
		n, err := DeleteStaleLearners(ctx, db, t0.AddDate(0, 3, 0))
		if err != nil || n != 1 {
			t.Fatalf("DeleteStaleLearners = %d, %v; want 1", n, err)
		}
		if _, err := LearnerByID(ctx, db, old.ID); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("stale learner kept: %v", err)
		}
		if _, err := LearnerForUser(ctx, db, 7); err != nil {
			t.Errorf("a user's learner was deleted: %v", err)
		}
	})
}

func TestSeedDemo(t *testing.T) {
	t.Parallel() // each subtest has databases of its own
	if _, err := ParseCertificateCode(DemoCertificateCode); err != nil {
		t.Errorf("DemoCertificateCode: %v", err)
	}
	if _, err := ParseResumeCode(DemoResumeCode); err != nil {
		t.Errorf("DemoResumeCode: %v", err)
	}
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		for range 2 {
			if err := SeedDemo(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
		cert, err := CertificateByCode(ctx, db, DemoCertificateCode)
		if err != nil {
			t.Fatal(err)
		}
		l, err := LearnerByResumeCode(ctx, db, DemoResumeCode)
		if err != nil || cert.LearnerID != l.ID {
			t.Errorf("demo certificate's learner = %d, demo learner = %v, %v", cert.LearnerID, l, err)
		}
		var n int64
		if n, err = db.NewSelect().Model((*Certificate)(nil)).Count(ctx); err != nil || n != 1 {
			t.Errorf("certificates after two seeds = %d, %v; want 1", n, err)
		}
		usage, err := UsageByMonth(ctx, db, MonthOf(time.Now().AddDate(0, -1, 0)), MonthOf(time.Now()))
		if err != nil || len(usage) != 2 || usage[0].Views == 0 {
			t.Errorf("demo usage = %+v, %v; want views in the past months", usage, err)
		}
	})
}

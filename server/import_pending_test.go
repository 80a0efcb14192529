package server

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// pendingUploadsOf reads the portal's own figures of the checked files it
// keeps from /metrics.
func pendingUploadsOf(t *testing.T, ts *testServer) (files, bytes int) {
	t.Helper()
	body := ts.get("/metrics").mustStatus(t, http.StatusOK).Body
	for _, m := range []struct {
		name string
		dst  *int
	}{{"portal_pending_uploads", &files}, {"portal_pending_upload_bytes", &bytes}} {
		v := regexp.MustCompile(`(?m)^` + m.name + ` (\d+)$`).FindStringSubmatch(body)
		if v == nil {
			t.Fatalf("/metrics has no %s", m.name)
		}
		*m.dst, _ = strconv.Atoi(v[1])
	}
	return files, bytes
}

// TestDryRunsKeepAFewFilesPerPerson: ten clean dry runs of one official
// keep only the newest indicators.MaxPendingUploads files (on main every
// one was kept for a day); committing a dropped one says, in each
// language, to check the file again (410) and writes nothing; the newest
// commits. Another official's file is not dropped by the first one's
// checks, and the maintenance loop sweeps a file a day old.
func TestDryRunsKeepAFewFilesPerPerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		commune := ts.newVisitor()
		commune.signInAs(accounts.RoleCommuneOfficial, "26536")
		other := ts.newVisitor()
		other.signInAs(accounts.RoleCommuneOfficial, "26539")
		// Before the demo figures begin, so that no report is locked.
		file := func(unit string, n int) []byte {
			return fmt.Appendf(nil, "Mã đơn vị,Kỳ,HH_TOTAL\n%s,2023-12,%d\n", unit, 1000+n)
		}
		otherToken := tokenOf(t, other.postFile("/vi/reports/import", nil, "file", "b.csv", file("26539", 0)).mustStatus(t, http.StatusOK).Body)

		const checks = 10
		var tokens []string
		for i := range checks {
			res := commune.postFile("/vi/reports/import", nil, "file", fmt.Sprintf("t%d.csv", i), file("26536", i)).mustStatus(t, http.StatusOK)
			tokens = append(tokens, tokenOf(t, res.Body))
		}
		if files, bytes := pendingUploadsOf(t, ts); files != indicators.MaxPendingUploads+1 || bytes == 0 || bytes > 2000 {
			t.Errorf("after %d checks of one official and one of another: %d files, %d bytes kept; want %d files of a few hundred bytes",
				checks, files, bytes, indicators.MaxPendingUploads+1)
		}
		before := tableCounts(t, db)
		for _, lang := range i18n.Langs() {
			l := ts.srv.bundle.Localizer(lang)
			commune.post("/"+string(lang)+"/reports/import/commit", url.Values{"token": {tokens[0]}}).
				mustStatus(t, http.StatusGone).
				mustContain(t, `<html lang="`+string(lang)+`"`, l.T("error.title_prefix"), `id="file-error"`,
					html.EscapeString(l.N("limits.import.gone", indicators.MaxPendingUploads)))
		}
		if after := tableCounts(t, db); after != before {
			t.Errorf("committing a dropped file changed the tables: %v, was %v", after, before)
		}
		commune.post("/en/reports/import/commit", url.Values{"token": {tokens[checks-1]}}).mustStatus(t, http.StatusOK)
		if v := reportOf(t, db, "26536", indicators.Month(2023, 12)); v.Status != indicators.StatusDraft {
			t.Errorf("the newest checked file was not committed: report %s", v.Status)
		}
		other.post("/vi/reports/import/commit", url.Values{"token": {otherToken}}).mustStatus(t, http.StatusOK)

		// The rest wait; a day later the maintenance loop removes them
		// though nobody checks another file.
		if files, _ := pendingUploadsOf(t, ts); files != indicators.MaxPendingUploads-1 {
			t.Errorf("%d files kept after two commits, want %d", files, indicators.MaxPendingUploads-1)
		}
		ts.srv.maintainOnce(ctx, time.Now().Add(indicators.UploadLifetime+time.Minute))
		if files, bytes := pendingUploadsOf(t, ts); files != 0 || bytes != 0 {
			t.Errorf("after the sweep a day later: %d files, %d bytes kept; want none", files, bytes)
		}
	})
}

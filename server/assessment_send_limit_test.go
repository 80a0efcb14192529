package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/database/dbtest"
)

// TestAssessmentSendLimit: results sent from one address are limited (here
// 3 an hour, 10 in the portal), the refused one stays unsent and can be sent
// later; each sent result keeps only keyed hashes of its address and
// network, and the officials' page shows that several came from one place
// on one day.
func TestAssessmentSendLimit(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	ts.srv.assessments.sends = &accounts.Throttle{Free: 2, Base: time.Minute, Max: time.Hour, Window: time.Hour}
	for range 3 {
		v := ts.newVisitor()
		id, _ := startAssessment(t, v, "vi")
		completeAssessment(t, v, "vi", id, true)
	}
	v := ts.newVisitor()
	id, _ := startAssessment(t, v, "en")
	base := "/en/assessment/" + id + "/"
	location(t, v.post(base+"profile", shopProfile(t, ts)))
	m := ts.srv.assessments.cat.Current()
	for _, page := range m.Pages() {
		items, _ := m.PageItems(page)
		f := middleForm(items)
		f.Set("action", "next")
		location(t, v.post(base+"questions/"+page, f))
	}
	res := v.post(base+"review", url.Values{"consent": {assessments.ConsentVersion}}).mustStatus(t, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	r, err := assessments.Get(context.Background(), db, id)
	if err != nil || r.Submitted() {
		t.Errorf("the refused result was sent: %+v %v", r, err)
	}

	var sources []struct {
		SourceAddr string `bun:"source_addr"`
		SourceNet  string `bun:"source_net"`
	}
	if err := db.NewSelect().Table("assessment_responses").Column("source_addr", "source_net").Where("submitted_at IS NOT NULL").Scan(context.Background(), &sources); err != nil {
		t.Fatal(err)
	}
	hash := regexp.MustCompile(`^[0-9a-f]{32}$`)
	if len(sources) != 3 {
		t.Fatalf("%d sent results, want 3", len(sources))
	}
	for _, s := range sources {
		if !hash.MatchString(s.SourceAddr) || !hash.MatchString(s.SourceNet) || s.SourceAddr == s.SourceNet ||
			s.SourceAddr != sources[0].SourceAddr || strings.Contains(s.SourceAddr+s.SourceNet, "127.0.0") {
			t.Errorf("stored source %+v: want the same keyed hash of the address for each, another of the network, no address", s)
		}
	}

	official := ts.newVisitor()
	official.signInAs(accounts.RoleProvinceOfficial, "79")
	page := official.get("/en/reports/assessments").mustStatus(t, http.StatusOK).Body
	today := ts.srv.bundle.Localizer("en").Date(time.Now())
	row := regexp.MustCompile(`<tr><th scope="row">` + regexp.QuoteMeta(today) + `</th><td class="num">3</td><td class="num">3</td><td class="num">3</td></tr>`)
	if !row.MatchString(page) || !strings.Contains(page, "never the address itself") {
		t.Errorf("the officials' page does not show 3 results from one place today (%s)", today)
	}
	vi := official.get("/vi/reports/assessments").mustStatus(t, http.StatusOK).Body
	if !strings.Contains(vi, "Kết quả gửi từ cùng một nơi") {
		t.Error("no Vietnamese heading for results from one place")
	}
}

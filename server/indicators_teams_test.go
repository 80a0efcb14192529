package server

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
	"digiportal/teams"
)

// teamSection is the dashboard's section of figures from team records,
// empty when the page has none.
func teamSection(body string) string {
	i := strings.Index(body, `id="team-records"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</section>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

// mustTeamRow checks the month's row of the section, cell by cell.
func mustTeamRow(t *testing.T, res *response, month string, want ...string) {
	t.Helper()
	sec := teamSection(res.Body)
	if sec == "" {
		t.Fatalf("%s: no section of figures from team records", res.Request.URL)
	}
	i := strings.Index(sec, `<th scope="row">`+month+`</th>`)
	if i < 0 {
		t.Fatalf("%s: no row for %s in %s", res.Request.URL, month, sec)
	}
	row := sec[i:]
	row = row[:strings.Index(row, "</tr>")]
	cells := strings.Split(row, `<td class="num">`)[1:]
	if len(cells) != len(want) {
		t.Fatalf("%s: row %q, want cells %q", res.Request.URL, row, want)
	}
	for k, c := range cells {
		if !strings.HasPrefix(c, want[k]) {
			t.Errorf("%s: cell %d = %q, want %q", res.Request.URL, k, c, want[k])
		}
	}
}

// csvRows reads a CSV download.
func csvRows(t *testing.T, res *response) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", res.Request.URL, err)
	}
	return rows
}

// reportedState is what the dashboards show of the reported figures of a
// unit, as text (NaN included), both bases.
func reportedState(t *testing.T, db bun.IDB, unit string, from, to indicators.Period) string {
	t.Helper()
	var b strings.Builder
	for _, with := range []bool{false, true} {
		d, err := indicators.BuildDashboard(context.Background(), db, indicators.Query{Unit: unit, From: from, To: to, WithSubmitted: with}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%v|%v\n", d.Latest, d.Completeness)
		for _, r := range d.Rows {
			fmt.Fprintf(&b, "%s %v %v %v\n", r.Indicator.Code, r.Latest, r.Trend, r.Met)
		}
		for _, c := range d.Children {
			fmt.Fprintf(&b, "%s %v %v\n", c.Unit.Code, c.Figure, c.Completeness)
		}
	}
	return b.String()
}

// TestTeamRecordsOnDashboards: help given by two communes' teams shows on
// the officials' dashboard and the public one in a section of its own,
// labelled in both languages, summed up to the province; a correction of
// the help log changes it at once; a public page withholds a count under
// 5 that officials see; the exports carry the figures in a table whose
// rows name their source; the reported figures stay exactly as they were.
func TestTeamRecordsOnDashboards(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		home, err := indicators.HomeUnit(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		a, b := twoCommunes(t, db)
		this := indicators.MonthOf(time.Now())
		from := this.Prev()
		rng := "from=" + from.String() + "&to=" + this.String()
		yearBefore := this
		for range 13 {
			yearBefore = yearBefore.Prev()
		}
		reportedBefore := reportedState(t, db, home, yearBefore, this)

		east := newTeam(t, db, a, "Tổ thôn Đông", "200")
		west := newTeam(t, db, b, "Tổ thôn Tây", "40")
		hv := ts.newVisitor()
		joinTeam(t, db, east.ID, hv.signInAs(accounts.RoleHelper, a).ID)
		other := ts.newVisitor()
		joinTeam(t, db, west.ID, other.signInAs(accounts.RoleHelper, b).ID)

		// Before any help is recorded the section says so.
		prov := ts.newVisitor()
		prov.signInAs(accounts.RoleProvinceOfficial, home)
		prov.get("/vi/reports/dashboard?"+rng).mustStatus(t, http.StatusOK).
			mustContain(t, "Theo sổ ghi của Tổ công nghệ số cộng đồng", "không phải số liệu do xã, phường báo cáo", "Chưa có lượt hỗ trợ nào")

		today := teams.Today(time.Now())
		entry := url.Values{"day": {today}, "kind": {"visit"}, "households": {"50"}, "people_15_59": {"30"}, "people_60": {"12"}, "done_vneid": {"yes"}}
		hv.post("/vi/teams/log", entry).mustStatus(t, http.StatusSeeOther)
		other.post("/vi/teams/log", url.Values{"day": {today}, "kind": {"desk"}, "households": {"3"}, "people_15_59": {"2"}}).mustStatus(t, http.StatusSeeOther)

		viMonth := indPeriodLabel(ts.srv.bundle.Localizer(i18n.VI), this)
		enMonth := indPeriodLabel(ts.srv.bundle.Localizer(i18n.EN), this)

		// The province official: both communes, summed.
		vi := prov.get("/vi/reports/dashboard?"+rng).mustStatus(t, http.StatusOK)
		vi.mustContain(t, "Theo sổ ghi của Tổ công nghệ số cộng đồng", "Lượt hộ được hỗ trợ", "Lượt người từ 60 tuổi", "&amp;table=team_records")
		mustTeamRow(t, vi, viMonth, "53", "32", "12")
		mustTeamRow(t, vi, indPeriodLabel(ts.srv.bundle.Localizer(i18n.VI), from), "0", "0", "0")
		en := prov.get("/en/reports/dashboard?"+rng).mustStatus(t, http.StatusOK)
		en.mustContain(t, "From team records: community digital technology teams", "they are not figures reported by communes", "Household visits", "People 15–59 helped")
		mustTeamRow(t, en, enMonth, "53", "32", "12")

		// A commune official sees their commune's own, exactly.
		offB := ts.newVisitor()
		offB.signInAs(accounts.RoleCommuneOfficial, b)
		mustTeamRow(t, offB.get("/vi/reports/dashboard?"+rng).mustStatus(t, http.StatusOK), viMonth, "3", "2", "0")

		// The public dashboard: the province's sums rounded to a multiple
		// of 5, and under 5 withheld. Exact public sums would give the
		// withheld commune away: the province's 53 households less a's 50
		// is b's 3, and its 12 people over 60 less a's 12 is b's none.
		mustTeamRow(t, ts.get("/vi/indicators?"+rng).mustStatus(t, http.StatusOK), viMonth, "55", "30", "10")
		mustTeamRow(t, ts.get("/vi/indicators?unit="+a+"&"+rng).mustStatus(t, http.StatusOK), viMonth, "50", "30", "10")
		pub := ts.get("/vi/indicators?unit="+b+"&"+rng).mustStatus(t, http.StatusOK)
		mustTeamRow(t, pub, viMonth, `<span class="hint">dưới 5`, `<span class="hint">dưới 5`, "0")
		pub.mustContain(t, "số nhỏ hơn 5 không được công bố", "làm tròn đến bội số gần nhất của 5")
		pubEN := ts.get("/en/indicators?unit="+b+"&"+rng).mustStatus(t, http.StatusOK)
		mustTeamRow(t, pubEN, enMonth, `<span class="hint">fewer than 5`, `<span class="hint">fewer than 5`, "0")
		pubEN.mustContain(t, "a count under 5 is not published", "rounded to the nearest multiple of 5")

		// A correction of the help log changes the figures at once, on the
		// public page too: the pages that show team records are not kept
		// in the page cache (keptPolicy), so no data version can hold them.
		var x teams.Visit
		if err := db.NewSelect().Model(&x).Where("team_id = ?", east.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		entry.Set("households", "60")
		hv.post(fmt.Sprintf("/vi/teams/log/entries/%d", x.ID), entry).mustStatus(t, http.StatusSeeOther)
		mustTeamRow(t, prov.get("/vi/reports/dashboard?"+rng).mustStatus(t, http.StatusOK), viMonth, "63", "32", "12")
		mustTeamRow(t, ts.get("/vi/indicators?"+rng).mustStatus(t, http.StatusOK), viMonth, "65", "30", "10")

		// The exports: a table of its own, each row naming its source.
		for _, c := range []struct {
			who              *testServer
			path, src, value string
			note             string
		}{
			{prov, "/export/vi/reports/dashboard?format=csv&table=team_records&" + rng, "Sổ ghi của Tổ công nghệ số cộng đồng", "63", ""},
			{prov, "/export/en/reports/dashboard?format=csv&table=team_records&" + rng, "Help log of the community digital technology teams", "63", ""},
			{ts, "/export/vi/indicators?format=csv&table=team_records&" + rng, "Sổ ghi của Tổ công nghệ số cộng đồng", "65", "đã làm tròn đến bội số gần nhất của 5"},
			{ts, "/export/vi/indicators?format=csv&table=team_records&unit=" + b + "&" + rng, "Sổ ghi của Tổ công nghệ số cộng đồng", "", "dưới 5"},
			{offB, "/export/vi/reports/dashboard?format=csv&table=team_records&" + rng, "Sổ ghi của Tổ công nghệ số cộng đồng", "3", ""},
		} {
			rows := csvRows(t, c.who.get(c.path).mustStatus(t, http.StatusOK))
			head := strings.Join(rows[0], "|")
			if !strings.Contains(head, "Nguồn số liệu") && !strings.Contains(head, "Source of the figure") {
				t.Errorf("%s: head %q has no source column", c.path, head)
			}
			found := false
			for _, r := range rows[1:] {
				if len(r) != 9 || !strings.HasPrefix(r[8], c.src) {
					t.Errorf("%s: row %q does not name its source", c.path, r)
					continue
				}
				if r[2] == this.String() && r[3] == indicators.ElemTeamHouseholds {
					found = true
					if r[5] != c.value || !strings.HasPrefix(r[7], c.note) {
						t.Errorf("%s: households %q note %q, want %q %q", c.path, r[5], r[7], c.value, c.note)
					}
				}
			}
			if !found || len(rows) != 1+2*3 {
				t.Errorf("%s: %d rows, households of %s found %v; want two months of three elements", c.path, len(rows), this, found)
			}
		}
		// The workbook holds the same table on a sheet of its own.
		xl := prov.get("/export/vi/reports/dashboard?format=xlsx&"+rng).mustStatus(t, http.StatusOK)
		wb, err := excelize.OpenReader(strings.NewReader(xl.Body))
		if err != nil {
			t.Fatal(err)
		}
		sheets := wb.GetSheetList()
		xrows, _ := wb.GetRows(sheets[len(sheets)-1], excelize.Options{RawCellValue: true})
		wb.Close()
		if sheets[len(sheets)-1] != "Theo sổ ghi của Tổ" || len(xrows) != 1+2*3 || xrows[0][8] != "Nguồn số liệu" || !strings.HasPrefix(xrows[1][8], "Sổ ghi của Tổ công nghệ số cộng đồng") {
			t.Errorf("workbook sheets %q, last one %q", sheets, xrows)
		}

		// The reported figures are exactly what they were.
		if after := reportedState(t, db, home, yearBefore, this); after != reportedBefore {
			t.Errorf("help-log entries changed the reported figures:\nbefore %s\nafter  %s", reportedBefore, after)
		}
	})
}

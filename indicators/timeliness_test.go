package indicators

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

func TestReportDeadline(t *testing.T) {
	for _, c := range []struct {
		month Period
		want  string
	}{
		{Month(2026, 10), "2026-11-15T00:00:00+07:00"},
		{Month(2026, 12), "2027-01-15T00:00:00+07:00"},
		{Month(2025, 1), "2025-02-15T00:00:00+07:00"},
	} {
		if got := ReportDeadline(c.month).Format(time.RFC3339); got != c.want {
			t.Errorf("ReportDeadline(%s) = %s, want %s", c.month, got, c.want)
		}
	}
}

func TestTimelinessOf(t *testing.T) {
	m := Month(2026, 10)
	deadline := ReportDeadline(m)
	before, after := deadline.Add(-time.Second), deadline
	for _, c := range []struct {
		name   string
		status Status
		sent   *time.Time
		now    time.Time
		want   Timeliness
	}{
		{"none, before the deadline", "", nil, before, NotDue},
		{"none, at the deadline", "", nil, after, Missing},
		{"a draft once sent and returned to draft", StatusDraft, &before, after, Missing},
		{"sent the second before", StatusSubmitted, &before, after, OnTime},
		{"sent at the deadline", StatusApproved, &after, after.Add(time.Hour), Late},
		{"returned, sent in time", StatusReturned, &before, after, OnTime},
		{"sent early, before the deadline", StatusSubmitted, &before, before, OnTime},
	} {
		if got := TimelinessOf(c.status, c.sent, m, c.now); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestBuildTimeliness(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		now := time.Now()
		// Three months the demo has reports for, well before now.
		m3 := MonthOf(now).Prev().Prev()
		m2, m1 := m3.Prev(), m3.Prev().Prev()
		commune, err := UnitByCode(ctx, db, "26536", m1.Day())
		if err != nil {
			t.Fatal(err)
		}
		setSent := func(m Period, status Status, at time.Time) {
			t.Helper()
			res, err := db.NewUpdate().Table("indicator_reports").Set("status = ?, submitted_at = ?", status, at).
				Where("unit_id = ? AND period = ?", commune.ID, m.String()).Exec(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				t.Fatalf("no report of %s for %s", commune.Code, m)
			}
		}
		setSent(m1, StatusApproved, ReportDeadline(m1).Add(-time.Hour))
		setSent(m2, StatusSubmitted, ReportDeadline(m2).Add(time.Hour))
		setSent(m3, StatusDraft, ReportDeadline(m3).Add(-time.Hour))

		got, err := BuildTimeliness(ctx, db, TimelinessQuery{Unit: commune.Code, From: m1, To: m3}, now)
		if err != nil {
			t.Fatal(err)
		}
		if got.TotalUnits != 1 || len(got.Units) != 1 || got.Units[0].Unit.Code != commune.Code {
			t.Fatalf("units %+v (%d), want only %s", got.Units, got.TotalUnits, commune.Code)
		}
		want := []Timeliness{OnTime, Late, Missing}
		for i, c := range got.Units[0].Cells {
			if c != want[i] {
				t.Errorf("%s: %s, want %s", got.Months[i], c, want[i])
			}
		}

		// The province: every month counts each of its reporting units once.
		prov, err := BuildTimeliness(ctx, db, TimelinessQuery{Unit: commune.ParentCode, From: m1, To: m3, Limit: 2, Offset: 1}, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(prov.History) != 3 || len(prov.Units) != 2 || prov.TotalUnits < 3 {
			t.Fatalf("province: %d months, %d of %d units; want 3 months and a page of 2", len(prov.History), len(prov.Units), prov.TotalUnits)
		}
		for _, h := range prov.History {
			if h.OnTime+h.Late+h.Missing+h.NotDue != h.Expected || h.Expected != prov.TotalUnits {
				t.Errorf("%s: %+v does not add up to %d units", h.Month, h, prov.TotalUnits)
			}
		}
		if prov.History[2].Missing < 1 || prov.History[0].OnTime < 1 {
			t.Errorf("history %+v misses the commune's missing %s or on-time %s report", prov.History, m3, m1)
		}

		// Before the deadline of the last month, its draft is not due yet.
		early, err := BuildTimeliness(ctx, db, TimelinessQuery{Unit: commune.Code, From: m3, To: m3}, ReportDeadline(m3).Add(-time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if c := early.Units[0].Cells[0]; c != NotDue {
			t.Errorf("%s before its deadline: %s, want %s", m3, c, NotDue)
		}
	})
}

package indicators

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"2025-03", "2025-03", true},
		{"3/2025", "2025-03", true},
		{"03/2025", "2025-03", true},
		{"2025-Q1", "2025-Q1", true},
		{"q4/2024", "2024-Q4", true},
		{"2025", "2025", true},
		{"2025-13", "", false},
		{"2025-Q5", "", false},
		{"1999", "", false},
		{"2025-3", "", false},
		{"", "", false},
		{"abcd", "", false},
	} {
		p, err := ParsePeriod(c.in)
		if (err == nil) != c.ok || (c.ok && p.String() != c.want) {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %q ok=%v", c.in, p, err, c.want, c.ok)
		}
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2025-03", "2025-Q1", "2025", "3/2025", "Q2/2026", "9999-99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		q, err := ParsePeriod(p.String())
		if err != nil || q != p {
			t.Fatalf("round trip of %q: %v → %v, %v", s, p, q, err)
		}
	})
}

func TestPeriodOrderAndWindow(t *testing.T) {
	y, _ := ParsePeriod("2025")
	q, _ := ParsePeriod("2025-Q1")
	m, _ := ParsePeriod("2025-01")
	m2, _ := ParsePeriod("2025-02")
	if y.Compare(q) >= 0 || q.Compare(m) >= 0 || m.Compare(m2) >= 0 || m2.Compare(m) <= 0 {
		t.Error("want 2025 < 2025-Q1 < 2025-01 < 2025-02")
	}
	if got := Month(2025, 1).Prev().String(); got != "2024-12" {
		t.Errorf("Prev of 2025-01 = %s", got)
	}
	if got := q.Next().Next().Next().Next().String(); got != "2026-Q1" {
		t.Errorf("four quarters after 2025-Q1 = %s", got)
	}
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	for _, c := range []struct {
		p        Period
		from, to string
	}{
		{Month(2025, 3), "2025-02-15", "2025-03-14"},
		{Month(2025, 1), "2024-12-15", "2025-01-14"},
		{q, "2024-12-15", "2025-03-14"},
		{y, "2024-12-15", "2025-12-14"},
	} {
		from, to := c.p.ReportingWindow()
		if day(from) != c.from || day(to) != c.to {
			t.Errorf("window of %s = %s…%s, want %s…%s", c.p, day(from), day(to), c.from, c.to)
		}
	}
	labels := map[string]string{}
	tr := func(id string, kv ...any) string {
		labels[id] = id
		return id
	}
	Month(2025, 3).Label(tr)
	if _, ok := labels["indicators.month.3"]; !ok {
		t.Error("a month's label does not name the month")
	}
}

func TestParseWhole(t *testing.T) {
	for _, c := range []struct {
		in        string
		want      int64
		blank, ok bool
	}{
		{"1532", 1532, false, true},
		{"1.532", 1532, false, true},
		{"1,532,000", 1532000, false, true},
		{"1 532", 1532, false, true},
		{"", 0, true, false},
		{"  ", 0, true, false},
		{"1.5", 0, false, false},
		{"12,34", 0, false, false},
		{"-3", 0, false, false},
		{"3e5", 0, false, false},
		{"0", 0, false, true},
	} {
		n, blank, ok := ParseWhole(c.in)
		if n != c.want || blank != c.blank || ok != c.ok {
			t.Errorf("ParseWhole(%q) = %d, %v, %v; want %d, %v, %v", c.in, n, blank, ok, c.want, c.blank, c.ok)
		}
	}
}

func FuzzParseWhole(f *testing.F) {
	for _, s := range []string{"1.532", "1,5", "-1", "99999999999999999999", " 12 345 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, _, ok := ParseWhole(s)
		if ok && (n < 0 || n > maxValue) {
			t.Fatalf("ParseWhole(%q) = %d", s, n)
		}
	})
}

func TestJumps(t *testing.T) {
	got := Jumps(Values{1: 140, 2: 100, 3: 5}, Values{1: 100, 2: 95, 3: 0}, 0.3)
	if len(got) != 1 || got[0].ElementID != 1 || got[0].Share < 0.39 || got[0].Share > 0.41 {
		t.Errorf("Jumps = %+v, want one warning on element 1 at 40%%", got)
	}
}

// TestDueMonth: the report due is that of the latest month whose window of
// Decree 09 has closed, the day being Vietnam's.
func TestDueMonth(t *testing.T) {
	for _, c := range []struct {
		now, want string
	}{
		{"2025-03-14T12:00:00+07:00", "2025-02"}, // the window of March closes today
		{"2025-03-15T00:00:00+07:00", "2025-03"},
		{"2025-03-31T23:59:00+07:00", "2025-03"},
		{"2025-03-14T17:30:00Z", "2025-03"}, // already the 15th in Vietnam
		{"2025-03-14T16:59:59Z", "2025-02"},
		{"2026-01-03T09:00:00+07:00", "2025-12"}, // across a year
		{"2025-12-31T18:00:00Z", "2025-12"},      // 1 January in Vietnam: December is due
		{"2026-01-14T17:00:00Z", "2026-01"},      // midnight of 15 January in Vietnam
	} {
		now, err := time.Parse(time.RFC3339, c.now)
		if err != nil {
			t.Fatal(err)
		}
		if got := DueMonth(now).String(); got != c.want {
			t.Errorf("DueMonth(%s) = %s, want %s", c.now, got, c.want)
		}
	}
}

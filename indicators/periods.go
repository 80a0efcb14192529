package indicators

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PeriodKind is how long a reporting period lasts.
type PeriodKind byte

// The kinds of period, shortest first.
const (
	Monthly   PeriodKind = 'M'
	Quarterly PeriodKind = 'Q'
	Yearly    PeriodKind = 'Y'
)

// Period is a typed reporting period: a month, a quarter or a year. Its key
// (String) is "2025-03", "2025-Q1" or "2025", which sorts like the periods
// within one kind and is what the database and URLs hold.
type Period struct {
	Kind PeriodKind
	Year int
	N    int // month 1–12, quarter 1–4, 0 for a year
}

// ErrBadPeriod means a text does not name a period.
var ErrBadPeriod = errors.New("not a period")

// Years the portal accepts, wide enough for history and plans.
const (
	minYear = 2000
	maxYear = 2100
)

// Month returns the monthly period of year and month.
func Month(year int, m time.Month) Period { return Period{Kind: Monthly, Year: year, N: int(m)} }

// MonthOf returns the month that contains t in Asia/Ho_Chi_Minh.
func MonthOf(t time.Time) Period {
	t = t.In(zone())
	return Month(t.Year(), t.Month())
}

// ParsePeriod reads a period key: "2025-03" (also "03/2025" and "3/2025", as
// people type months), "2025-Q1" (also "Q1/2025") or "2025".
func ParsePeriod(s string) (Period, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	bad := fmt.Errorf("%w: %q", ErrBadPeriod, s)
	var p Period
	switch {
	case len(s) == 4:
		p = Period{Kind: Yearly}
		y, ok := atoi(s)
		if !ok {
			return Period{}, bad
		}
		p.Year = y
	case strings.Contains(s, "Q"):
		a, b, ok := strings.Cut(s, "-Q")
		if !ok {
			q, y, ok2 := strings.Cut(strings.TrimPrefix(s, "Q"), "/")
			if !ok2 || !strings.HasPrefix(s, "Q") {
				return Period{}, bad
			}
			a, b = y, q
		}
		y, ok1 := atoi(a)
		q, ok2 := atoi(b)
		if !ok1 || !ok2 || len(a) != 4 || len(b) != 1 {
			return Period{}, bad
		}
		p = Period{Kind: Quarterly, Year: y, N: q}
	case strings.Contains(s, "/"):
		m, y, _ := strings.Cut(s, "/")
		mm, ok1 := atoi(m)
		yy, ok2 := atoi(y)
		if !ok1 || !ok2 || len(y) != 4 || len(m) > 2 {
			return Period{}, bad
		}
		p = Period{Kind: Monthly, Year: yy, N: mm}
	default:
		y, m, ok := strings.Cut(s, "-")
		yy, ok1 := atoi(y)
		mm, ok2 := atoi(m)
		if !ok || !ok1 || !ok2 || len(y) != 4 || len(m) != 2 {
			return Period{}, bad
		}
		p = Period{Kind: Monthly, Year: yy, N: mm}
	}
	if !p.valid() {
		return Period{}, bad
	}
	return p, nil
}

func atoi(s string) (int, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func (p Period) valid() bool {
	if p.Year < minYear || p.Year > maxYear {
		return false
	}
	switch p.Kind {
	case Monthly:
		return p.N >= 1 && p.N <= 12
	case Quarterly:
		return p.N >= 1 && p.N <= 4
	case Yearly:
		return p.N == 0
	}
	return false
}

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p.Kind == 0 }

// String is the period's key: 2025-03, 2025-Q1 or 2025.
func (p Period) String() string {
	switch p.Kind {
	case Monthly:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case Quarterly:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case Yearly:
		return fmt.Sprintf("%04d", p.Year)
	}
	return ""
}

// firstMonth is the first month of the period.
func (p Period) firstMonth() time.Month {
	switch p.Kind {
	case Monthly:
		return time.Month(p.N)
	case Quarterly:
		return time.Month(3*(p.N-1) + 1)
	}
	return time.January
}

func (p Period) months() int {
	switch p.Kind {
	case Monthly:
		return 1
	case Quarterly:
		return 3
	}
	return 12
}

// Start is the first day of the period.
func (p Period) Start() time.Time {
	return time.Date(p.Year, p.firstMonth(), 1, 0, 0, 0, 0, time.UTC)
}

// End is the last day of the period.
func (p Period) End() time.Time { return p.Start().AddDate(0, p.months(), -1) }

// Day is the period's last day, YYYY-MM-DD: the day whose hierarchy a
// report for the period belongs to.
func (p Period) Day() string { return p.End().Format(dayLayout) }

// Next returns the period of the same kind that follows p.
func (p Period) Next() Period { return p.add(1) }

// Prev returns the period of the same kind before p.
func (p Period) Prev() Period { return p.add(-1) }

func (p Period) add(n int) Period {
	switch p.Kind {
	case Yearly:
		return Period{Kind: Yearly, Year: p.Year + n}
	case Quarterly:
		i := p.Year*4 + p.N - 1 + n
		return Period{Kind: Quarterly, Year: i / 4, N: i%4 + 1}
	}
	i := p.Year*12 + p.N - 1 + n
	return Period{Kind: Monthly, Year: i / 12, N: i%12 + 1}
}

// Compare orders periods by their start, and a longer period before a
// shorter one that starts the same day (2025, 2025-Q1, 2025-01).
func (p Period) Compare(o Period) int {
	a, b := p.Start(), o.Start()
	switch {
	case a.Before(b):
		return -1
	case a.After(b):
		return 1
	}
	switch {
	case p.months() > o.months():
		return -1
	case p.months() < o.months():
		return 1
	}
	return 0
}

// Months returns the months of p, in order.
func (p Period) Months() []Period {
	out := make([]Period, 0, p.months())
	m := Month(p.Year, p.firstMonth())
	for range p.months() {
		out = append(out, m)
		m = m.Next()
	}
	return out
}

// Contains reports whether month m lies in p.
func (p Period) Contains(m Period) bool {
	return !m.Start().Before(p.Start()) && !m.Start().After(p.End())
}

// ReportingWindow is the span of the state reporting regime of Decree
// 09/2019/NĐ-CP (article 12): a monthly report covers the 15th of the
// previous month to the 14th of the reporting month; a quarterly report the
// 15th of the month before the quarter to the 14th of its last month; a
// yearly report 15 December of the year before to 14 December.
func (p Period) ReportingWindow() (from, to time.Time) {
	from = p.Start().AddDate(0, -1, 14)
	to = p.Start().AddDate(0, p.months()-1, 13)
	return from, to
}

// DueMonth is the month whose report is due at now: the latest month whose
// reporting window (ReportingWindow) has closed, by the day in
// Asia/Ho_Chi_Minh. A month's window ends on its 14th, so from the 15th the
// month's own report is due, before that the previous month's.
func DueMonth(now time.Time) Period {
	m := MonthOf(now)
	if _, to := m.ReportingWindow(); Today(now) <= to.Format(dayLayout) {
		return m.Prev()
	}
	return m
}

// MonthRange returns the months from a to b inclusive (none when b is before
// a), at most limit of them counting back from b.
func MonthRange(a, b Period, limit int) []Period {
	var out []Period
	for m := b; m.Compare(a) >= 0 && len(out) < limit; m = m.Prev() {
		out = append(out, m)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// Label words the period with the translator t (an i18n Localizer's T):
// "Tháng 3/2025" or "March 2025", "Quý 1/2025" or "Q1 2025", "Năm 2025"
// or "2025".
func (p Period) Label(t func(id string, kv ...any) string) string {
	switch p.Kind {
	case Monthly:
		return t("indicators.period.month", "Month", p.N, "Year", p.Year, "MonthName", t(fmt.Sprintf("indicators.month.%d", p.N)))
	case Quarterly:
		return t("indicators.period.quarter", "Quarter", p.N, "Year", p.Year)
	case Yearly:
		return t("indicators.period.year", "Year", p.Year)
	}
	return ""
}

package content

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"digiportal/i18n"
)

// zone is the portal's time zone: months are calendar months there.
func zone() *time.Location { return i18n.Location() }

// MonthOf returns the calendar month of t in Asia/Ho_Chi_Minh, "YYYY-MM".
func MonthOf(t time.Time) string { return t.In(zone()).Format("2006-01") }

// ParseMonth reads "YYYY-MM" and returns the instant the month begins in
// Asia/Ho_Chi_Minh.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01", s, zone())
	if err != nil {
		return time.Time{}, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	return t, nil
}

// monthRange returns the instants [start of from, start of the month after
// to) in UTC.
func monthRange(from, to string) (time.Time, time.Time, error) {
	a, err := ParseMonth(from)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	b, err := ParseMonth(to)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	return a.UTC(), b.AddDate(0, 1, 0).UTC(), nil
}

// Months lists the months from the month of from to the month of to, both
// included, as "YYYY-MM", oldest first.
func Months(from, to time.Time) []string {
	a, _ := ParseMonth(MonthOf(from))
	b, _ := ParseMonth(MonthOf(to))
	var out []string
	for m := a; !m.After(b); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// addUsage adds to a lesson's counters of the month of now.
func addUsage(ctx context.Context, db bun.IDB, slug string, now time.Time, views, completions int64) error {
	_, err := db.NewRaw(`INSERT INTO lesson_usage (month, slug, views, completions) VALUES (?, ?, ?, ?)
ON CONFLICT (month, slug) DO UPDATE SET views = lesson_usage.views + EXCLUDED.views, completions = lesson_usage.completions + EXCLUDED.completions`,
		MonthOf(now), slug, views, completions).Exec(ctx)
	return err
}

// Usage is how often lessons were viewed and completed.
type Usage struct {
	Key         string // a month "YYYY-MM" or a lesson slug
	Views       int64
	Completions int64
}

type usageRow struct {
	bun.BaseModel `bun:"table:lesson_usage"`
	Month         string `bun:"month,pk"`
	Slug          string `bun:"slug,pk"`
	Views         int64  `bun:"views"`
	Completions   int64  `bun:"completions"`
}

// UsageByMonth totals views and completions of all lessons for each month
// in [from, to] ("YYYY-MM"), oldest first, months without use included.
func UsageByMonth(ctx context.Context, db bun.IDB, from, to string) ([]Usage, error) {
	a, err := ParseMonth(from)
	if err != nil {
		return nil, fmt.Errorf("content.UsageByMonth: %w", err)
	}
	b, err := ParseMonth(to)
	if err != nil {
		return nil, fmt.Errorf("content.UsageByMonth: %w", err)
	}
	var rows []usageRow
	if err := db.NewSelect().Model(&rows).Where("month >= ?", from).Where("month <= ?", to).Scan(ctx); err != nil {
		return nil, fmt.Errorf("content.UsageByMonth: %w", err)
	}
	sum := map[string]*Usage{}
	var out []Usage
	for _, m := range Months(a, b) {
		sum[m] = &Usage{Key: m}
	}
	for _, r := range rows {
		if u := sum[r.Month]; u != nil {
			u.Views += r.Views
			u.Completions += r.Completions
		}
	}
	for _, m := range Months(a, b) {
		out = append(out, *sum[m])
	}
	return out, nil
}

// UsageOfMonth returns each lesson's views and completions in month
// ("YYYY-MM"), most viewed first; lessons without use are left out.
func UsageOfMonth(ctx context.Context, db bun.IDB, month string) ([]Usage, error) {
	if _, err := ParseMonth(month); err != nil {
		return nil, fmt.Errorf("content.UsageOfMonth: %w", err)
	}
	var rows []usageRow
	if err := db.NewSelect().Model(&rows).Where("month = ?", month).Scan(ctx); err != nil {
		return nil, fmt.Errorf("content.UsageOfMonth: %w", err)
	}
	out := make([]Usage, len(rows))
	for i, r := range rows {
		out[i] = Usage{Key: r.Slug, Views: r.Views, Completions: r.Completions}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Views != out[j].Views {
			return out[i].Views > out[j].Views
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}

// CompletionCounter counts lesson completions per month for the indicators
// part (it satisfies indicators.MonthlyCounter). A completion is a learner's
// first pass of a lesson's quiz; nothing personal is read.
type CompletionCounter struct {
	DB bun.IDB
}

// CountByMonth returns completions keyed "YYYY-MM" for every month in
// [from, to] (Asia/Ho_Chi_Minh), zero for months without any.
func (c CompletionCounter) CountByMonth(ctx context.Context, from, to time.Time) (map[string]int64, error) {
	usage, err := UsageByMonth(ctx, c.DB, MonthOf(from), MonthOf(to))
	if err != nil {
		return nil, fmt.Errorf("CompletionCounter.CountByMonth: %w", err)
	}
	out := make(map[string]int64, len(usage))
	for _, u := range usage {
		out[u.Key] = u.Completions
	}
	return out, nil
}

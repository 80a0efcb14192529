package server

import (
	"log/slog"
	"net/http"

	"digiportal/content"
)

type lessonsStatsView struct {
	Page
	Months  []monthUsage // the last twelve, newest first
	Month   string       // the month of the per-lesson table
	Lessons []lessonUsage
	Total   content.Usage
	Links   lessonsStatsDownloads
}

type monthUsage struct {
	content.Usage
	Certificates int64
}

type lessonUsage struct {
	content.Usage
	Title string
}

// statsMonths is how many months the officials' usage table shows.
const statsMonths = 12

// lessonsStats shows officials how the lessons are used: views,
// completions and certificates per month, and per lesson for one month.
// The counts are plain counters; nothing in them identifies anyone.
func (s *lessonsPart) lessonsStats(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "lessons.stats.title")
	ctx := r.Context()
	now := s.now()
	months := content.Months(now.AddDate(0, -(statsMonths-1), 0), now)
	from, to := months[0], months[len(months)-1]
	v := lessonsStatsView{Page: p, Month: to}
	if m := r.URL.Query().Get("month"); m != "" {
		if _, err := content.ParseMonth(m); err != nil {
			return errBadRequest
		}
		v.Month = m
	}
	// The views this instance counted and has not written yet are written
	// first, so that its own figures are never behind; when that fails
	// they wait for the next flush, and the page shows what is written.
	if err := s.views.Flush(ctx, s.db); err != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "counters not written, kept for the next try", slog.Any("err", err))
	}
	usage, err := content.UsageByMonth(ctx, s.db, from, to)
	if err != nil {
		return err
	}
	certs, err := content.CertificatesIssued(ctx, s.db, from, to)
	if err != nil {
		return err
	}
	for i := len(usage) - 1; i >= 0; i-- {
		v.Months = append(v.Months, monthUsage{Usage: usage[i], Certificates: certs[usage[i].Key]})
	}
	perLesson, err := content.UsageOfMonth(ctx, s.db, v.Month)
	if err != nil {
		return err
	}
	for _, u := range perLesson {
		title := u.Key
		if l, ok := s.lib.Lesson(u.Key); ok {
			title = l.In(p.Lang).Title
		}
		v.Lessons = append(v.Lessons, lessonUsage{Usage: u, Title: title})
		v.Total.Views += u.Views
		v.Total.Completions += u.Completions
	}
	switch format := r.URL.Query().Get("format"); format {
	case "csv", "xlsx":
		return lessonsStatsExport(w, &v, r.URL.Query().Get("table"), format, now)
	case "":
	default:
		return errBadRequest
	}
	v.Links = lessonsStatsLinks(&v)
	return s.render(w, r, "lessons-stats", &v)
}

package server

import (
	"context"
	"log/slog"
	"time"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/content"
	"digiportal/database"
	"digiportal/indicators"
)

// Retention of data nobody finished with. The self-assessment intro and the
// lessons' progress page say so to the people whose data it is.
const (
	maintenanceEvery       = 5 * time.Minute
	abandonedAssessmentAge = 180 * 24 * time.Hour
	staleLearnerAge        = 365 * 24 * time.Hour
)

// RunMaintenance does the portal's periodic work until ctx ends: expired
// sessions go, practice payments nobody finished are closed, and unfinished
// assessments and anonymous learners past their retention are deleted. Each
// job is safe to run on several instances at once.
func (s *Server) RunMaintenance(ctx context.Context) {
	t := time.NewTicker(maintenanceEvery)
	defer t.Stop()
	for {
		s.maintainOnce(ctx, time.Now())
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// maintainOnce runs every job once; a failing job is logged and the others
// still run.
func (s *Server) maintainOnce(ctx context.Context, now time.Time) {
	jobs := []struct {
		name string
		run  func() (int64, error)
	}{
		{"sessions", func() (int64, error) { return database.NewSessionStore(s.db).DeleteExpired(ctx) }},
		{"payments", func() (int64, error) { n, err := s.payments.svc.Sweep(ctx, s.db, now); return int64(n), err }},
		{"refunds", func() (int64, error) {
			n, err := s.payments.svc.RetryPendingRefunds(ctx, s.db, now)
			return int64(n), err
		}},
		{"assessments", func() (int64, error) { return assessments.PurgeAbandoned(ctx, s.db, now.Add(-abandonedAssessmentAge)) }},
		{"learners", func() (int64, error) { return content.DeleteStaleLearners(ctx, s.db, now.Add(-staleLearnerAge)) }},
		{"throttles", func() (int64, error) { return accounts.DeleteExpiredThrottles(ctx, s.db) }},
		{"uploads", func() (int64, error) { return indicators.SweepUploads(ctx, s.db, now) }},
		{"signup requests", func() (int64, error) { return accounts.DeleteExpiredSignUpRequests(ctx, s.db) }},
	}
	for _, j := range jobs {
		n, err := j.run()
		if err != nil {
			if ctx.Err() == nil {
				s.log.LogAttrs(ctx, slog.LevelWarn, "maintenance", slog.String("job", j.name), slog.Any("err", err))
			}
			continue
		}
		if n > 0 {
			s.log.LogAttrs(ctx, slog.LevelInfo, "maintenance", slog.String("job", j.name), slog.Int64("removed", n))
		}
	}
}

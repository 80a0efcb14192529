package server

import (
	"context"
	"log/slog"
	"time"
)

// countersEvery is how often the counts kept in memory (lesson views) are
// written: a few seconds of counts are lost only when the process is
// killed without SIGTERM.
const countersEvery = 5 * time.Second

// RunCounters writes the counts kept in memory every few seconds until ctx
// ends, and logs the requests shed since the last line (overload.go). The last counts are written by FlushCounters, which cmd/portal
// calls once the server has stopped taking requests.
func (s *Server) RunCounters(ctx context.Context) {
	t := time.NewTicker(countersEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := s.lessons.views.Flush(ctx, s.db); err != nil && ctx.Err() == nil {
			s.log.LogAttrs(ctx, slog.LevelWarn, "counters not written, kept for the next try", slog.Any("err", err))
		}
		s.reportLoad(ctx, time.Now())
	}
}

// FlushCounters writes every count kept in memory. Called after the last
// request has been answered, it leaves nothing counted unwritten.
func (s *Server) FlushCounters(ctx context.Context) error {
	return s.lessons.views.Flush(ctx, s.db)
}

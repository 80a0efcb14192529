package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"digiportal/database"
	"digiportal/indicators"
)

// unitJobsPoll is how often the worker looks for jobs queued on another
// instance; a job queued here wakes it at once.
const unitJobsPoll = 10 * time.Second

// unitJobs is this instance's worker of unit import jobs.
type unitJobs struct {
	wake chan struct{}
	// live is the progress of the job running here, finer than what is
	// written to the job's row: during the import's transaction SQLite
	// takes no other write.
	mu   sync.Mutex
	live map[int64]jobProgress
}

type jobProgress struct {
	msgID       string
	done, total int
}

func newUnitJobs() *unitJobs {
	return &unitJobs{wake: make(chan struct{}, 1), live: map[int64]jobProgress{}}
}

// wakeUnitJobs tells the worker a job was queued.
func (s *indicatorsPart) wakeUnitJobs() {
	select {
	case s.jobs.wake <- struct{}{}:
	default:
	}
}

// RunUnitJobs runs the unit import jobs queued on this database, one at a
// time, until ctx ends; a job stopped by the end goes back to the queue.
// Jobs left running by a process that stopped are put back first.
func (s *Server) RunUnitJobs(ctx context.Context) {
	if _, err := indicators.RequeueRunningJobs(ctx, s.db, time.Now(), true); err != nil && ctx.Err() == nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "unit jobs", slog.Any("err", err))
	}
	t := time.NewTicker(unitJobsPoll)
	defer t.Stop()
	for {
		for s.indicators.runUnitJobOnce(ctx) {
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.indicators.jobs.wake:
		}
	}
}

// runUnitJobOnce claims the oldest queued job and runs it, and says
// whether it found one.
func (s *indicatorsPart) runUnitJobOnce(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	// A job left running by an instance that stopped, long ago.
	if _, err := indicators.RequeueRunningJobs(ctx, s.db, s.now(), false); err != nil && ctx.Err() == nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "unit jobs", slog.Any("err", err))
	}
	j, err := indicators.ClaimUnitJob(ctx, s.db, s.now())
	if err != nil {
		if ctx.Err() == nil {
			s.log.LogAttrs(ctx, slog.LevelWarn, "unit jobs", slog.Any("err", err))
		}
		return false
	}
	if j == nil {
		return false
	}
	jctx, cancel := context.WithTimeout(ctx, indicators.UnitJobTimeout)
	defer cancel()
	defer func() {
		s.jobs.mu.Lock()
		delete(s.jobs.live, j.ID)
		s.jobs.mu.Unlock()
	}()
	progress := func(msgID string, done, total int) {
		s.jobs.mu.Lock()
		s.jobs.live[j.ID] = jobProgress{msgID, done, total}
		s.jobs.mu.Unlock()
		// PostgreSQL takes the progress beside the import's transaction,
		// for the pages of other instances; SQLite would wait for it.
		if database.IsPostgres(s.db) {
			pctx, cancel := context.WithTimeout(jctx, 2*time.Second)
			defer cancel()
			if err := indicators.SetJobProgress(pctx, s.db, j.ID, msgID, done, total); err != nil {
				s.log.LogAttrs(ctx, slog.LevelWarn, "unit jobs", slog.Int64("job", j.ID), slog.Any("err", err))
			}
		}
	}
	start := time.Now()
	err = indicators.RunUnitJob(jctx, s.db, j, s.now(), progress)
	switch {
	case errors.Is(err, context.Canceled):
	case database.Busy(err):
		// Other work held the import lock: the job says to try again.
		s.log.LogAttrs(ctx, slog.LevelWarn, "unit job busy", slog.Int64("job", j.ID), slog.Any("err", err))
	case err != nil:
		s.log.LogAttrs(ctx, slog.LevelError, "unit job failed", slog.Int64("job", j.ID), slog.Any("err", err))
	default:
		s.log.LogAttrs(ctx, slog.LevelInfo, "unit job done", slog.Int64("job", j.ID), slog.Duration("took", time.Since(start)))
	}
	return true
}

type adminUnitJobView struct {
	Page
	Job      indicators.UnitJob
	Running  bool // the page reloads itself
	Status   string
	Progress string
	Result   string
	Error    string
	Problems []importError
}

// adminUnitsJob shows a unit import job: queued or running, with its
// progress, reloading itself every few seconds without JavaScript; done,
// with what the import changed; failed, with why in words.
func (s *indicatorsPart) adminUnitsJob(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	j, err := indicators.UnitJobByID(r.Context(), s.db, id)
	if err != nil {
		return err
	}
	p := s.page(w, r, "indicators.admin.units.job.title")
	v := adminUnitJobView{Page: p, Job: *j, Status: p.L.T("indicators.admin.units.job.status." + j.Status)}
	switch j.Status {
	case indicators.JobQueued, indicators.JobRunning:
		v.Running = true
		msgID, done, total := j.Progress, j.Done, j.Total
		s.jobs.mu.Lock()
		if lp, ok := s.jobs.live[j.ID]; ok {
			msgID, done, total = lp.msgID, lp.done, lp.total
		}
		s.jobs.mu.Unlock()
		if msgID != "" {
			v.Progress = p.L.T(msgID, "Done", done+1, "Total", total)
		}
		w.Header().Set("Cache-Control", "no-store")
	case indicators.JobDone:
		v.Result = unitFileResultText(p.L, j.Outcome())
	case indicators.JobFailed:
		v.Error = p.L.T(j.Error)
		if errs := j.RowProblems(); len(errs) > 0 {
			v.Problems = importProblems(&v.Page, errs)
		}
	}
	return s.render(w, r, "admin-units-job", v)
}

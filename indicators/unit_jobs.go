package indicators

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// UnitJobTimeout bounds one unit import run by a worker: a national list
// and its roll-up rebuild take about a minute, far past a request's time
// but far within this.
const UnitJobTimeout = 30 * time.Minute

// The states of a unit job.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// What a failed job says, as message IDs: busy (another import, or the
// database, held it up: try again) or anything else, never the raw error.
const (
	JobErrorBusy     = "indicators.admin.units.job.error.busy"
	JobErrorFailed   = "indicators.admin.units.job.error.failed"
	JobErrorProblems = "indicators.admin.units.job.error.problems"
)

// UnitJob is a checked unit file waiting for, or imported by, a worker.
type UnitJob struct {
	bun.BaseModel `bun:"table:indicator_jobs"`
	ID            int64        `bun:"id,pk,autoincrement"`
	Kind          UnitFileKind `bun:"kind,notnull"`
	Day           string       `bun:"day,notnull"`
	Complete      bool         `bun:"complete,notnull"`
	Name          string       `bun:"name,notnull"`
	Data          string       `bun:"data,notnull"` // the ParsedUnitFile as JSON
	Status        string       `bun:"status,notnull"`
	Progress      string       `bun:"progress,notnull"` // a message ID
	Done          int          `bun:"done,notnull"`
	Total         int          `bun:"total,notnull"`
	Result        string       `bun:"result,notnull"` // a UnitFileResult as JSON
	Error         string       `bun:"error,notnull"`  // a message ID
	Problems      string       `bun:"problems,notnull"`
	UserID        int64        `bun:"user_id,notnull"`
	Email         string       `bun:"email,notnull"`
	CreatedAt     time.Time    `bun:"created_at,notnull"`
	StartedAt     bun.NullTime `bun:"started_at"`
	FinishedAt    bun.NullTime `bun:"finished_at"`
}

// Outcome is what a done job imported.
func (j *UnitJob) Outcome() UnitFileResult {
	var res UnitFileResult
	if json.Unmarshal([]byte(j.Result), &res) != nil {
		return UnitFileResult{Kind: j.Kind}
	}
	return res
}

// RowProblems are the rows a failed mapping job names that do not exist.
func (j *UnitJob) RowProblems() []RowError {
	var errs []RowError
	_ = json.Unmarshal([]byte(j.Problems), &errs)
	return errs
}

// QueueUnitJob keeps a checked file's rows as a job for a worker, for who,
// and returns its ID.
func QueueUnitJob(ctx context.Context, db bun.IDB, who accounts.Actor, p *ParsedUnitFile, now time.Time) (int64, error) {
	head := *p
	head.Units, head.Mappings = nil, nil
	data, err := json.Marshal(head)
	if err != nil {
		return 0, fmt.Errorf("indicators.QueueUnitJob: %w", err)
	}
	j := UnitJob{Kind: p.Kind, Day: p.Day, Complete: p.Complete, Name: p.Name, Data: string(data), Status: JobQueued,
		UserID: who.UserID, Email: who.Email, CreatedAt: now.UTC()}
	if j.Email == "" {
		j.Email = who.System
	}
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&j).Returning("id").Exec(ctx); err != nil {
			return err
		}
		// The rows a thousand at a time, so that no query holds them all.
		n := max(len(p.Units), len(p.Mappings))
		for seq, start := 0, 0; start < n; seq, start = seq+1, start+jobChunk {
			var part any
			if p.Units != nil {
				part = p.Units[start:min(start+jobChunk, len(p.Units))]
			} else {
				part = p.Mappings[start:min(start+jobChunk, len(p.Mappings))]
			}
			b, err := json.Marshal(part)
			if err != nil {
				return err
			}
			if _, err := tx.NewInsert().Model(&jobRows{JobID: j.ID, Seq: seq, Data: string(b)}).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("indicators.QueueUnitJob: %w", err)
	}
	return j.ID, nil
}

// jobChunk is how many rows of a job one row of indicator_job_rows holds.
const jobChunk = 1000

// jobRows is a thousand rows of a job, as JSON.
type jobRows struct {
	bun.BaseModel `bun:"table:indicator_job_rows"`
	JobID         int64  `bun:"job_id,pk"`
	Seq           int    `bun:"seq,pk"`
	Data          string `bun:"data,notnull"`
}

// loadJobRows reads a job's rows into p, a thousand at a time.
func loadJobRows(ctx context.Context, db bun.IDB, id int64, p *ParsedUnitFile) error {
	for seq := 0; ; seq++ {
		var part jobRows
		err := db.NewSelect().Model(&part).Where("job_id = ?", id).Where("seq = ?", seq).Scan(ctx)
		if database.IsNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if p.Kind == UnitList {
			var us []ListUnit
			if err := json.Unmarshal([]byte(part.Data), &us); err != nil {
				return err
			}
			p.Units = append(p.Units, us...)
		} else {
			var ms []MappingRow
			if err := json.Unmarshal([]byte(part.Data), &ms); err != nil {
				return err
			}
			p.Mappings = append(p.Mappings, ms...)
		}
	}
}

// dropJobRows deletes the rows of a job that ended.
func dropJobRows(ctx context.Context, db bun.IDB, id int64) error {
	_, err := db.NewDelete().Model((*jobRows)(nil)).Where("job_id = ?", id).Exec(ctx)
	return err
}

// UnitJobByID is the job id, or database.ErrNotFound.
func UnitJobByID(ctx context.Context, db bun.IDB, id int64) (*UnitJob, error) {
	var j UnitJob
	err := db.NewSelect().Model(&j).ExcludeColumn("data").Where("id = ?", id).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, fmt.Errorf("indicators.UnitJobByID: %w", database.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("indicators.UnitJobByID: %w", err)
	}
	return &j, nil
}

// RequeueRunningJobs puts back in the queue the jobs left running by a
// process that stopped: their import was one transaction, rolled back when
// the process went. With all, as a server starts, it puts back every
// running job, unless one is still running somewhere: a job running
// holds the import lock (applyUnitFile), and while the lock cannot be had
// only the jobs started longer ago than UnitJobTimeout allows are put
// back, as they are without all. It returns how many it put back.
func RequeueRunningJobs(ctx context.Context, db bun.IDB, now time.Time, all bool) (int64, error) {
	requeue := func(ctx context.Context, tx bun.IDB, stale bool) (int64, error) {
		q := tx.NewUpdate().Model((*UnitJob)(nil)).Set("status = ?", JobQueued).Set("progress = ''").
			Set("done = 0").Set("total = 0").Where("status = ?", JobRunning)
		if stale {
			q = q.Where("started_at < ?", now.UTC().Add(-UnitJobTimeout-time.Minute))
		}
		res, err := q.Exec(ctx)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	if !all {
		n, err := requeue(ctx, db, true)
		if err != nil {
			return 0, fmt.Errorf("indicators.RequeueRunningJobs: %w", err)
		}
		return n, nil
	}
	var n int64
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockRollups(ctx, tx, false); err != nil {
			return err
		}
		var err error
		n, err = requeue(ctx, tx, false)
		return err
	})
	if database.Busy(err) {
		n, err = requeue(ctx, db, true)
	}
	if err != nil {
		return 0, fmt.Errorf("indicators.RequeueRunningJobs: %w", err)
	}
	return n, nil
}

// ClaimUnitJob moves the oldest queued job to running and returns it, or
// nil when none waits. Of workers claiming at once, on any instance, one
// gets each job: the update that finds it still queued.
func ClaimUnitJob(ctx context.Context, db bun.IDB, now time.Time) (*UnitJob, error) {
	for {
		var j UnitJob
		err := db.NewSelect().Model(&j).Column("id").Where("status = ?", JobQueued).Order("id").Limit(1).Scan(ctx)
		if database.IsNoRows(err) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("indicators.ClaimUnitJob: %w", err)
		}
		var claimed bool
		err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
			res, err := tx.NewUpdate().Model((*UnitJob)(nil)).Set("status = ?", JobRunning).Set("started_at = ?", now.UTC()).
				Where("id = ?", j.ID).Where("status = ?", JobQueued).Exec(ctx)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			claimed = n == 1
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("indicators.ClaimUnitJob: %w", err)
		}
		if !claimed {
			continue // another worker took it; look for the next
		}
		if err := db.NewSelect().Model(&j).Where("id = ?", j.ID).Scan(ctx); err != nil {
			return nil, fmt.Errorf("indicators.ClaimUnitJob: %w", err)
		}
		return &j, nil
	}
}

// SetJobProgress records what a running job is doing, in its own short
// transaction, for the job's page.
func SetJobProgress(ctx context.Context, db bun.IDB, id int64, msgID string, done, total int) error {
	_, err := db.NewUpdate().Model((*UnitJob)(nil)).Set("progress = ?", msgID).Set("done = ?", done).Set("total = ?", total).
		Where("id = ?", id).Where("status = ?", JobRunning).Exec(ctx)
	if err != nil {
		return fmt.Errorf("indicators.SetJobProgress: %w", err)
	}
	return nil
}

// RunUnitJob imports a claimed job's rows exactly as ImportUnitFile does,
// as the person who queued it, and records the job done in the same
// transaction, or failed with a message ID afterwards. progress, when not
// nil, hears of each stage. The error returned is the import's, for the
// log; the job says only what the person may read.
func RunUnitJob(ctx context.Context, db bun.IDB, j *UnitJob, now time.Time, progress Progress) error {
	var p ParsedUnitFile
	if err := json.Unmarshal([]byte(j.Data), &p); err != nil {
		return failJob(ctx, db, j.ID, JobErrorFailed, nil, now, fmt.Errorf("indicators.RunUnitJob: %w", err))
	}
	if err := loadJobRows(ctx, db, j.ID, &p); err != nil {
		return failJob(ctx, db, j.ID, JobErrorFailed, nil, now, fmt.Errorf("indicators.RunUnitJob: %w", err))
	}
	who := accounts.Actor{UserID: j.UserID, Email: j.Email}
	var (
		res  UnitFileResult
		errs []RowError
	)
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var err error
		res, errs, err = applyUnitFile(ctx, tx, who, &p, false, now, progress)
		if err != nil {
			return err
		}
		out, err := json.Marshal(res)
		if err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model((*UnitJob)(nil)).Set("status = ?", JobDone).Set("result = ?", string(out)).
			Set("progress = ''").Set("data = '{}'").Set("finished_at = ?", now.UTC()).Where("id = ?", j.ID).Exec(ctx)
		if err != nil {
			return err
		}
		return dropJobRows(ctx, tx, j.ID)
	})
	res, errs, err = unitFileOutcome(p.Kind, res, errs, err)
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		// The server is stopping: the job runs again at the next start.
		_, qerr := db.NewUpdate().Model((*UnitJob)(nil)).Set("status = ?", JobQueued).Set("progress = ''").
			Where("id = ?", j.ID).Exec(context.WithoutCancel(ctx))
		return errors.Join(err, qerr)
	case len(errs) > 0:
		return failJob(ctx, db, j.ID, JobErrorProblems, errs, now, nil)
	case database.Busy(err) || errors.Is(err, context.DeadlineExceeded):
		return failJob(ctx, db, j.ID, JobErrorBusy, nil, now, err)
	case err != nil:
		return failJob(ctx, db, j.ID, JobErrorFailed, nil, now, err)
	}
	return nil
}

// failJob records a job failed with msgID and the rows' problems, and
// returns cause.
func failJob(ctx context.Context, db bun.IDB, id int64, msgID string, problems []RowError, now time.Time, cause error) error {
	var ps string
	if len(problems) > 0 {
		b, err := json.Marshal(problems)
		if err != nil {
			return errors.Join(cause, err)
		}
		ps = string(b)
	}
	// The job's own time may be what ran out: the failure is written
	// whatever is left of it.
	ctx = context.WithoutCancel(ctx)
	_, err := db.NewUpdate().Model((*UnitJob)(nil)).Set("status = ?", JobFailed).Set("error = ?", msgID).Set("problems = ?", ps).
		Set("progress = ''").Set("data = '{}'").Set("finished_at = ?", now.UTC()).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return errors.Join(cause, fmt.Errorf("indicators.failJob: %w", err))
	}
	if err := dropJobRows(ctx, db, id); err != nil {
		return errors.Join(cause, fmt.Errorf("indicators.failJob: %w", err))
	}
	return cause
}

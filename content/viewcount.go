package content

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// ViewCounter counts lesson views in memory and writes them in batches:
// one statement per lesson and month for all the views since the last
// flush. Counting each view with its own write made every lesson page
// update one shared row, which took over a third of the portal's
// throughput and queued the pages for a database connection.
//
// Counts wait in memory until Flush; the server flushes every few seconds
// and once more when it stops, after its last request.
type ViewCounter struct {
	mu      sync.Mutex
	pending map[usageKey]int64
	// flushing serialises flushes, so that a count taken back after a
	// failed write is never overtaken by a later flush of the same key.
	flushing sync.Mutex
}

type usageKey struct{ month, slug string }

// NewViewCounter returns an empty counter.
func NewViewCounter() *ViewCounter { return &ViewCounter{pending: map[usageKey]int64{}} }

// Add counts one view of a lesson at now. Nothing about the viewer is kept.
func (c *ViewCounter) Add(slug string, now time.Time) {
	k := usageKey{MonthOf(now), slug}
	c.mu.Lock()
	c.pending[k]++
	c.mu.Unlock()
}

// Pending returns how many views wait to be written.
func (c *ViewCounter) Pending() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for _, v := range c.pending {
		n += v
	}
	return n
}

// Flush writes the views counted so far, one statement per lesson and
// month. Counts it could not write are kept for the next flush, and the
// first error is returned.
func (c *ViewCounter) Flush(ctx context.Context, db bun.IDB) error {
	c.flushing.Lock()
	defer c.flushing.Unlock()
	c.mu.Lock()
	batch := c.pending
	c.pending = make(map[usageKey]int64, len(batch))
	c.mu.Unlock()
	var errs []error
	for k, n := range batch {
		_, err := db.NewRaw(`INSERT INTO lesson_usage (month, slug, views, completions) VALUES (?, ?, ?, 0)
ON CONFLICT (month, slug) DO UPDATE SET views = lesson_usage.views + EXCLUDED.views`, k.month, k.slug, n).Exec(ctx)
		if err != nil {
			c.mu.Lock()
			c.pending[k] += n
			c.mu.Unlock()
			if len(errs) == 0 {
				errs = append(errs, fmt.Errorf("content.ViewCounter.Flush: %w", err))
			}
		}
	}
	return errors.Join(errs...)
}

package indicators

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// refreshLateMonths recomputes, on each hierarchy kept by a rebuild from
// the day from (one that began before it), the months ending on or after
// from. A unit list of that day changes which units report in those
// months, so what an earlier hierarchy expects of them: after a second
// reorganisation on 1 January 2026 the hierarchy of 2025 still expected
// February 2026 of the two communes merged that day, 30 where a fresh
// count found 28. The months before from are what they were.
func refreshLateMonths(ctx context.Context, tx bun.IDB, kept map[string]bool, periods []string, from string) error {
	if from == "" || len(kept) == 0 {
		return nil
	}
	var late []string
	for _, p := range periods {
		if per, err := ParsePeriod(p); err == nil && per.Day() >= from {
			late = append(late, p)
		}
	}
	if len(late) == 0 {
		return nil
	}
	for h := range kept {
		for _, m := range []any{(*rollupRow)(nil), (*completenessRow)(nil)} {
			for start := 0; start < len(late); start += 500 {
				if _, err := tx.NewDelete().Model(m).Where("hierarchy = ?", h).
					Where("period IN (?)", bun.List(late[start:min(start+500, len(late))])).Exec(ctx); err != nil {
					return fmt.Errorf("indicators.refreshLateMonths: %w", err)
				}
			}
		}
		g, err := loadGraph(ctx, tx, h)
		if err != nil {
			return err
		}
		step := max(1, rebuildCells/(len(g.onDay)+1))
		for start := 0; start < len(late); start += step {
			c, err := compute(ctx, tx, g, nil, late[start:min(start+step, len(late))])
			if err != nil {
				return err
			}
			if err := writeCube(ctx, tx, c, h); err != nil {
				return err
			}
		}
	}
	return nil
}

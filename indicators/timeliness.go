package indicators

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Timeliness says how a unit's report of a month was sent against its
// deadline (ReportDeadline).
type Timeliness string

// The timeliness of a report. NotDue is a report not sent yet whose
// deadline has not come; a unit that did not report in a month (it did not
// exist, or it had units below it then) has none ("").
const (
	OnTime  Timeliness = "on_time"
	Late    Timeliness = "late"
	Missing Timeliness = "missing"
	NotDue  Timeliness = "not_due"
)

// MaxTimelinessMonths bounds the months one timeliness report covers.
const MaxTimelinessMonths = 24

// maxTimelinessUnits bounds the reporting units one month of a timeliness
// report reads: a country's communes, with room.
const maxTimelinessUnits = 20000

// ReportDeadline is the moment from which a month's report is late. Decree
// 09/2019/NĐ-CP counts a month's figures from the 15th of the month before
// to the 14th (ReportingWindow); the portal asks for the report once that
// window has closed (DueMonth) and until the next month's report falls due,
// so the deadline is the start of the 15th of the following month in
// Asia/Ho_Chi_Minh: the report of October is on time when sent by the end
// of 14 November.
func ReportDeadline(m Period) time.Time {
	_, to := m.Next().ReportingWindow()
	return time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, zone())
}

// TimelinessOf says how a report in status, last sent at sent (nil when
// never), stands against the deadline of month m at now. A draft has not
// been sent, whatever it was before; a returned report was sent.
func TimelinessOf(status Status, sent *time.Time, m Period, now time.Time) Timeliness {
	deadline := ReportDeadline(m)
	if status == "" || status == StatusDraft || sent == nil {
		if now.Before(deadline) {
			return NotDue
		}
		return Missing
	}
	if sent.Before(deadline) {
		return OnTime
	}
	return Late
}

// MonthTimeliness counts a month's reports by timeliness across the
// reporting units of a scope.
type MonthTimeliness struct {
	Month    Period
	Deadline time.Time
	Expected int // reporting units
	OnTime   int
	Late     int
	Missing  int
	NotDue   int
}

// Sent is how many reports were sent, on time or late.
func (m MonthTimeliness) Sent() int { return m.OnTime + m.Late }

// UnitTimeliness is one unit's row: its timeliness in each month of the
// report, "" where it did not report then.
type UnitTimeliness struct {
	Unit  Unit
	Cells []Timeliness
}

// TimelinessReport is the timeliness of a scope's reporting units over a
// range of months: the history of every month, and a page of units (those
// reporting in the last month) with a cell per month.
type TimelinessReport struct {
	Months  []Period
	History []MonthTimeliness
	Units   []UnitTimeliness
	// TotalUnits is how many units report in the last month, over all pages.
	TotalUnits int
}

// TimelinessQuery asks for the timeliness of the reporting units at or
// below Unit from From to To (at most MaxTimelinessMonths months), with
// the units' rows from Offset, at most Limit of them.
type TimelinessQuery struct {
	Unit          string
	From, To      Period
	Limit, Offset int
}

// BuildTimeliness reads the timeliness of q's units at now. A month's units
// are those that report then (ReportingUnits), so the history follows the
// hierarchy of each month, through the 2025 reorganisation.
func BuildTimeliness(ctx context.Context, db bun.IDB, q TimelinessQuery, now time.Time) (*TimelinessReport, error) {
	months := MonthRange(q.From, q.To, MaxTimelinessMonths)
	out := &TimelinessReport{Months: months}
	// cells[code][i] is the unit's timeliness in months[i].
	cells := map[string][]Timeliness{}
	var last []Unit
	for i, m := range months {
		units, err := ReportingUnits(ctx, db, q.Unit, m, maxTimelinessUnits)
		if err != nil {
			return nil, fmt.Errorf("indicators.BuildTimeliness: %w", err)
		}
		sent, err := sentReports(ctx, db, units, m)
		if err != nil {
			return nil, err
		}
		h := MonthTimeliness{Month: m, Deadline: ReportDeadline(m), Expected: len(units)}
		for _, u := range units {
			rep := sent[u.ID]
			var t Timeliness
			if rep == nil {
				t = TimelinessOf("", nil, m, now)
			} else {
				t = TimelinessOf(rep.Status, rep.SubmittedAt, m, now)
			}
			switch t {
			case OnTime:
				h.OnTime++
			case Late:
				h.Late++
			case Missing:
				h.Missing++
			case NotDue:
				h.NotDue++
			}
			if cells[u.Code] == nil {
				cells[u.Code] = make([]Timeliness, len(months))
			}
			cells[u.Code][i] = t
		}
		out.History = append(out.History, h)
		last = units
	}
	out.TotalUnits = len(last)
	lo := min(max(q.Offset, 0), len(last))
	hi := len(last)
	if q.Limit > 0 {
		hi = min(lo+q.Limit, len(last))
	}
	for _, u := range last[lo:hi] {
		out.Units = append(out.Units, UnitTimeliness{Unit: u, Cells: cells[u.Code]})
	}
	return out, nil
}

// sentReports reads the reports of units for month m, by unit version,
// a few hundred units at a time.
func sentReports(ctx context.Context, db bun.IDB, units []Unit, m Period) (map[int64]*Report, error) {
	out := make(map[int64]*Report, len(units))
	const batch = 500
	for start := 0; start < len(units); start += batch {
		ids := make([]int64, 0, batch)
		for _, u := range units[start:min(start+batch, len(units))] {
			ids = append(ids, u.ID)
		}
		var reps []Report
		err := db.NewSelect().Model(&reps).Column("id", "unit_id", "period", "status", "submitted_at").
			Where("period = ?", m.String()).Where("unit_id IN (?)", bun.List(ids)).Scan(ctx)
		if err != nil {
			return nil, fmt.Errorf("indicators.sentReports: %w", err)
		}
		for i := range reps {
			out[reps[i].UnitID] = &reps[i]
		}
	}
	return out, nil
}

package indicators

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// Errors of the workflow.
var (
	// ErrNotEditable: the report is submitted or approved (locked).
	ErrNotEditable = errors.New("the report cannot be changed in its current state")
	// ErrWrongState: the transition asked for does not start from the
	// report's state (approving a draft, unlocking a submitted report…).
	ErrWrongState = errors.New("the report is not in a state that allows this")
	// ErrNotReporting: the unit does not report for the period (it did not
	// exist then, or it has units below it that report instead).
	ErrNotReporting = errors.New("the unit does not report for this period")
	// ErrInvalid: the values have problems; see the []Problem returned.
	ErrInvalid = errors.New("the values have problems")
	// ErrReasonRequired: returning and unlocking need a written reason.
	ErrReasonRequired = errors.New("a reason is required")
	// ErrCommentTooLong: a comment or reason longer than MaxComment.
	ErrCommentTooLong = errors.New("the comment is too long")
)

// MaxComment bounds the comment of an approval or a return and the reason
// of an unlock, in characters.
const MaxComment = 2000

// Problem is something wrong (or, for a warning, unusual) with one value,
// named by a message ID; Other names the second element involved, such as
// the denominator a numerator exceeds.
type Problem struct {
	ElementID int64
	MsgID     string
	Other     int64
	Share     float64 // for a jump: the change against the previous period, 0.45 = 45%
	// Prev and Value are, for a jump, the previous period's value and
	// this one's, so that the warning says which way it went and from what.
	Prev, Value int64
}

// Values are a report's numbers by element ID.
type Values map[int64]int64

// ParseWhole reads a whole non-negative number as people type it: "1532",
// "1.532" or "1,532" (groups of three), "1 532". ok is false for anything
// else, including decimals and negatives; empty is reported as blank.
func ParseWhole(s string) (n int64, blank, ok bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return 0, true, false
	}
	if strings.ContainsAny(s, ".,") {
		groups := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ',' })
		if len(groups) < 2 || strings.Count(s, ".")+strings.Count(s, ",") != len(groups)-1 || len(groups[0]) > 3 || groups[0] == "" {
			return 0, false, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false, false
			}
		}
		s = strings.Join(groups, "")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v > maxValue {
		return 0, false, false
	}
	return v, false, true
}

// maxValue bounds a reported count: more than the population of the world
// is a typing mistake.
const maxValue = 10_000_000_000

// ParseValues reads the raw text of each element's field. Blank fields are
// left out; problems name the field.
func ParseValues(raw map[int64]string) (Values, []Problem) {
	vals := Values{}
	var probs []Problem
	for id, s := range raw {
		n, blank, ok := ParseWhole(s)
		switch {
		case blank:
		case !ok:
			msg := "indicators.entry.error.whole"
			if strings.HasPrefix(strings.TrimSpace(s), "-") {
				msg = "indicators.entry.error.negative"
			}
			probs = append(probs, Problem{ElementID: id, MsgID: msg})
		default:
			vals[id] = n
		}
	}
	sortProblems(probs)
	return vals, probs
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].ElementID < ps[j].ElementID })
}

// partOf lists elements that count a part of another, by code: the
// working-age population is people aged 15 and over who are not yet past
// working age, so never more than the population aged 15 and over.
var partOf = [][2]string{{ElemWorkingAge, ElemPop15}}

// Check applies the rules that refuse values: a numerator may not exceed
// its denominator; on submit every element must be filled. It returns
// problems in element order.
func Check(els []Element, inds []Indicator, v Values, complete bool) []Problem {
	var probs []Problem
	if complete {
		for _, e := range els {
			if _, ok := v[e.ID]; !ok && e.Entered() && e.Active {
				probs = append(probs, Problem{ElementID: e.ID, MsgID: "indicators.entry.error.required"})
			}
		}
	}
	for _, in := range inds {
		n, okN := v[in.NumeratorID]
		d, okD := v[in.DenominatorID]
		if okN && okD && n > d {
			probs = append(probs, Problem{ElementID: in.NumeratorID, MsgID: "indicators.entry.error.exceeds", Other: in.DenominatorID})
		}
	}
	// Counts that are part of another whatever the indicators say.
	ids := map[string]int64{}
	for _, e := range els {
		ids[e.Code] = e.ID
	}
	for _, r := range partOf {
		part, whole := ids[r[0]], ids[r[1]]
		n, okN := v[part]
		d, okD := v[whole]
		if part != 0 && whole != 0 && okN && okD && n > d {
			probs = append(probs, Problem{ElementID: part, MsgID: "indicators.entry.error.exceeds", Other: whole})
		}
	}
	probs = dedupe(probs)
	sortProblems(probs)
	return probs
}

func dedupe(ps []Problem) []Problem {
	seen := map[int64]bool{}
	out := ps[:0]
	for _, p := range ps {
		if !seen[p.ElementID] {
			seen[p.ElementID] = true
			out = append(out, p)
		}
	}
	return out
}

// Jumps returns warnings, not refusals, for values that changed by more than
// share against the previous period's.
func Jumps(v, prev Values, share float64) []Problem {
	var out []Problem
	for id, n := range v {
		p, ok := prev[id]
		if !ok || p == 0 {
			continue
		}
		ch := math.Abs(float64(n-p)) / float64(p)
		if ch > share {
			out = append(out, Problem{ElementID: id, MsgID: "indicators.entry.warning.jump", Share: ch, Prev: p, Value: n})
		}
	}
	sortProblems(out)
	return out
}

// ReportFor returns the report of a unit for a period; a report never saved
// comes back as an unsaved draft (ID 0).
func ReportFor(ctx context.Context, db bun.IDB, unitID int64, period Period) (*Report, Values, error) {
	rep := new(Report)
	err := db.NewSelect().Model(rep).Where("unit_id = ?", unitID).Where("period = ?", period.String()).Scan(ctx)
	if database.IsNoRows(err) {
		return &Report{UnitID: unitID, Period: period.String(), Status: StatusDraft}, Values{}, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("indicators.ReportFor: %w", err)
	}
	vals, err := reportValues(ctx, db, rep.ID)
	return rep, vals, err
}

// ReportByID returns a report and its values.
func ReportByID(ctx context.Context, db bun.IDB, id int64) (*Report, Values, error) {
	rep := new(Report)
	err := db.NewSelect().Model(rep).Where("id = ?", id).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, nil, fmt.Errorf("indicators.ReportByID %d: %w", id, database.ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("indicators.ReportByID: %w", err)
	}
	vals, err := reportValues(ctx, db, rep.ID)
	return rep, vals, err
}

func reportValues(ctx context.Context, db bun.IDB, reportID int64) (Values, error) {
	var rows []valueRow
	if err := db.NewSelect().Model(&rows).Where("report_id = ?", reportID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.reportValues: %w", err)
	}
	v := make(Values, len(rows))
	for _, r := range rows {
		v[r.ElementID] = r.Value
	}
	return v, nil
}

// IsReporting reports whether u reports for period. The rule, which
// ReportingUnits applies to a whole subtree: a unit reports for a period
// when it is valid on the period's last day and has no unit below it then.
func IsReporting(ctx context.Context, db bun.IDB, u *Unit, period Period) (bool, error) {
	if !u.ValidOn(period.Day()) {
		return false, nil
	}
	kids, err := Children(ctx, db, u.Code, period.Day())
	if err != nil {
		return false, err
	}
	return len(kids) == 0, nil
}

// ReportingUnits lists the units that report for period (see IsReporting)
// at or below the unit code names on the period's last day, by path, at
// most limit of them. A code that names no unit then has none.
func ReportingUnits(ctx context.Context, db bun.IDB, code string, period Period, limit int) ([]Unit, error) {
	root, err := UnitByCode(ctx, db, code, period.Day())
	if errors.Is(err, database.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sub, err := Subtree(ctx, db, root, period.Day())
	if err != nil {
		return nil, err
	}
	parents := make(map[string]bool, len(sub))
	for _, u := range sub {
		parents[u.ParentCode] = true
	}
	var out []Unit
	for _, u := range sub {
		if parents[u.Code] {
			continue
		}
		if len(out) == limit {
			break
		}
		out = append(out, u)
	}
	return out, nil
}

// SaveDraft stores the values a commune typed, in one transaction with an
// audit line per changed value. Blank elements are removed. The report must
// be a draft or returned.
func SaveDraft(ctx context.Context, db bun.IDB, who accounts.Actor, u *Unit, period Period, v Values) (*Report, error) {
	return saveValues(ctx, db, who, u, period, v, false)
}

// Submit stores the values and submits them for approval: every element
// must be filled and pass Check.
func Submit(ctx context.Context, db bun.IDB, who accounts.Actor, u *Unit, period Period, v Values) (*Report, error) {
	return saveValues(ctx, db, who, u, period, v, true)
}

func saveValues(ctx context.Context, db bun.IDB, who accounts.Actor, u *Unit, period Period, v Values, submit bool) (*Report, error) {
	ok, err := IsReporting(ctx, db, u, period)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotReporting
	}
	els, err := EnteredElements(ctx, db)
	if err != nil {
		return nil, err
	}
	inds, err := Indicators(ctx, db)
	if err != nil {
		return nil, err
	}
	if probs := Check(els, inds, v, submit); len(probs) > 0 {
		return nil, &ProblemsError{Problems: probs}
	}
	var rep *Report
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockRollups(ctx, tx, true); err != nil {
			return err
		}
		var old Values
		var err error
		rep, old, err = ReportFor(ctx, tx, u.ID, period)
		if err != nil {
			return err
		}
		if !rep.Status.Editable() {
			return ErrNotEditable
		}
		now := time.Now().UTC()
		prevStatus := rep.Status
		rep.UpdatedAt, rep.UpdatedBy = now, who.UserID
		if submit {
			rep.Status, rep.SubmittedAt = StatusSubmitted, &now
		}
		if rep.ID == 0 {
			prevStatus = ""
			if _, err := tx.NewInsert().Model(rep).Exec(ctx); err != nil {
				return fmt.Errorf("indicators.saveValues: %w", err)
			}
		} else if _, err := tx.NewUpdate().Model(rep).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("indicators.saveValues: %w", err)
		}
		if err := writeValues(ctx, tx, who, u, rep, els, old, v); err != nil {
			return err
		}
		if prevStatus != rep.Status {
			if err := auditStatus(ctx, tx, who, u, rep, prevStatus, ""); err != nil {
				return err
			}
		}
		return onReportChanged(ctx, tx, u.ID, rep, prevStatus, v)
	})
	return rep, err
}

// ProblemsError carries the problems that refused a save.
type ProblemsError struct{ Problems []Problem }

func (e *ProblemsError) Error() string { return ErrInvalid.Error() }

// Unwrap lets errors.Is(err, ErrInvalid) match.
func (e *ProblemsError) Unwrap() error { return ErrInvalid }

func writeValues(ctx context.Context, tx bun.Tx, who accounts.Actor, u *Unit, rep *Report, els []Element, old, v Values) error {
	for _, e := range els {
		was, had := old[e.ID]
		now, has := v[e.ID]
		if had == has && was == now {
			continue
		}
		switch {
		case has:
			row := valueRow{ReportID: rep.ID, ElementID: e.ID, Value: now}
			if _, err := tx.NewInsert().Model(&row).On("CONFLICT (report_id, element_id) DO UPDATE").Set("value = EXCLUDED.value").Exec(ctx); err != nil {
				return fmt.Errorf("indicators.writeValues: %w", err)
			}
		default:
			if _, err := tx.NewDelete().Model((*valueRow)(nil)).Where("report_id = ?", rep.ID).Where("element_id = ?", e.ID).Exec(ctx); err != nil {
				return fmt.Errorf("indicators.writeValues: %w", err)
			}
		}
		entry := accounts.AuditEntry{
			Action: "indicators.value", ObjectType: "indicator_value",
			ObjectID: u.Code + "/" + rep.Period + "/" + e.Code,
			Old:      optInt(was, had), New: optInt(now, has),
		}
		if err := who.Record(ctx, tx, entry); err != nil {
			return err
		}
	}
	return nil
}

func optInt(n int64, ok bool) string {
	if !ok {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

func auditStatus(ctx context.Context, tx bun.IDB, who accounts.Actor, u *Unit, rep *Report, from Status, detail string) error {
	return who.Record(ctx, tx, accounts.AuditEntry{
		Action: "indicators.status", ObjectType: "indicator_report",
		ObjectID: u.Code + "/" + rep.Period,
		Old:      string(from), New: string(rep.Status), Detail: detail,
	})
}

// Approve accepts a submitted report, which locks its values.
func Approve(ctx context.Context, db bun.IDB, who accounts.Actor, reportID int64, comment string) (*Report, error) {
	return transition(ctx, db, who, reportID, StatusSubmitted, StatusApproved, strings.TrimSpace(comment), false)
}

// Return sends a submitted report back to the commune with a comment that
// says what to fix.
func Return(ctx context.Context, db bun.IDB, who accounts.Actor, reportID int64, comment string) (*Report, error) {
	return transition(ctx, db, who, reportID, StatusSubmitted, StatusReturned, strings.TrimSpace(comment), true)
}

// Unlock reopens an approved report as a draft; only an admin does this,
// with a written reason that the audit log keeps.
func Unlock(ctx context.Context, db bun.IDB, who accounts.Actor, reportID int64, reason string) (*Report, error) {
	return transition(ctx, db, who, reportID, StatusApproved, StatusDraft, strings.TrimSpace(reason), true)
}

func transition(ctx context.Context, db bun.IDB, who accounts.Actor, reportID int64, from, to Status, comment string, needComment bool) (*Report, error) {
	if needComment && comment == "" {
		return nil, ErrReasonRequired
	}
	if utf8.RuneCountInString(comment) > MaxComment {
		return nil, ErrCommentTooLong
	}
	var rep *Report
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockRollups(ctx, tx, true); err != nil {
			return err
		}
		var err error
		rep, err = transitionTx(ctx, tx, who, reportID, from, to, comment)
		return err
	})
	return rep, err
}

// transitionTx moves one report inside tx, which holds the roll-ups' lock.
func transitionTx(ctx context.Context, tx bun.Tx, who accounts.Actor, reportID int64, from, to Status, comment string) (*Report, error) {
	rep, vals, err := ReportByID(ctx, tx, reportID)
	if err != nil {
		return nil, err
	}
	if rep.Status != from {
		return nil, ErrWrongState
	}
	u, err := UnitByID(ctx, tx, rep.UnitID)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	rep.Status, rep.Comment, rep.UpdatedAt, rep.UpdatedBy = to, comment, now, who.UserID
	if to == StatusApproved {
		rep.ApprovedAt = &now
	} else {
		rep.ApprovedAt = nil
	}
	if _, err := tx.NewUpdate().Model(rep).WherePK().Exec(ctx); err != nil {
		return nil, fmt.Errorf("indicators.transition: %w", err)
	}
	if err := auditStatus(ctx, tx, who, u, rep, from, comment); err != nil {
		return nil, err
	}
	return rep, onReportChanged(ctx, tx, u.ID, rep, from, vals)
}

// MaxApproveAll bounds the reports one "approve all" takes: a province's
// communes for a month are a few hundred.
const MaxApproveAll = 2000

// ApproveAll approves the submitted reports ids, all or none, in one
// transaction, each audited as if approved alone. The caller has checked
// each is the official's to approve (the confirmation page listed them); a
// report that is no longer submitted (returned or approved by someone else
// meanwhile) fails the whole with ErrWrongState, so that what is approved
// is exactly what the official saw.
func ApproveAll(ctx context.Context, db bun.IDB, who accounts.Actor, ids []int64) (int, error) {
	if len(ids) > MaxApproveAll {
		return 0, fmt.Errorf("indicators.ApproveAll: %d reports: %w", len(ids), ErrInvalid)
	}
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockRollups(ctx, tx, true); err != nil {
			return err
		}
		ctx = withGraphs(ctx)
		for _, id := range ids {
			if _, err := transitionTx(ctx, tx, who, id, StatusSubmitted, StatusApproved, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(ids), nil
}

// ReportRow is a report in a list, with its unit.
type ReportRow struct {
	Report
	UnitCode string `bun:"unit_code"`
	UnitName string `bun:"unit_name"`
	// UnitNameEN is the English name the statistics office gave, if any.
	UnitNameEN string `bun:"unit_name_en"`
	UnitPath   string `bun:"unit_path"`
}

// Unit is the report's unit as far as its names go, for DisplayName.
func (r *ReportRow) Unit() *Unit { return &Unit{Name: r.UnitName, NameEN: r.UnitNameEN} }

// ReportFilter narrows a list of reports.
type ReportFilter struct {
	ScopePath string // only units under this path ("" for all)
	// Area, when set, keeps to the reports of units that were inside the
	// unit with this code then (a district before July 2025).
	Area string
	// Units, when not nil, keeps to the reports of these unit versions
	// (see Scope.VersionsUnder); empty keeps none.
	Units  []int64
	Status Status // "" for any
	Period string // "" for any
	Limit  int
	Offset int
}

// ListReports returns the reports that match f, newest period first, and how
// many match in all.
func ListReports(ctx context.Context, db bun.IDB, f ReportFilter) ([]ReportRow, int, error) {
	var rows []ReportRow
	q := db.NewSelect().TableExpr("indicator_reports AS r").
		ColumnExpr("r.*, u.code AS unit_code, u.name AS unit_name, u.name_en AS unit_name_en, u.path AS unit_path").
		Join("JOIN org_units AS u ON u.id = r.unit_id")
	if f.ScopePath != "" {
		lo, hi := pathRange(f.ScopePath)
		q = q.Where("u.path >= ?", lo).Where("u.path < ?", hi)
	}
	if f.Units != nil {
		if len(f.Units) == 0 {
			return nil, 0, nil
		}
		q = q.Where("r.unit_id IN (?)", bun.List(f.Units))
	}
	if f.Area != "" {
		q = q.Where("u.path LIKE ?", "%/"+escapeLike(f.Area)+"/%")
	}
	if f.Status != "" {
		q = q.Where("r.status = ?", f.Status)
	}
	if f.Period != "" {
		q = q.Where("r.period = ?", f.Period)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	n, err := q.Order("r.period DESC", "u.path").Limit(int64(f.Limit)).Offset(int64(f.Offset)).ScanAndCount(ctx, &rows)
	if err != nil {
		return nil, 0, fmt.Errorf("indicators.ListReports: %w", err)
	}
	return rows, int(n), nil
}

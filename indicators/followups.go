package indicators

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
)

// Refusals of the follow-up use cases, each on its field.
var (
	// ErrFollowupElement: the value asked about is not an entered element.
	ErrFollowupElement = errors.New("not an entered element")
	// ErrFollowupText: a question or answer left empty.
	ErrFollowupText = errors.New("the text is empty")
	// ErrFollowupLong: a question or answer longer than MaxComment.
	ErrFollowupLong = errors.New("the text is too long")
)

// Followup is a province official's question about one value of a report
// and the commune's answer. There is one per value: asking again replaces
// the question and clears the answer, the audit log keeping both.
type Followup struct {
	bun.BaseModel `bun:"table:indicator_followups"`
	ID            int64      `bun:"id,pk,autoincrement"`
	ReportID      int64      `bun:"report_id,notnull"`
	ElementID     int64      `bun:"element_id,notnull"`
	Question      string     `bun:"question,notnull"`
	AskedBy       int64      `bun:"asked_by,notnull"`
	AskedAt       time.Time  `bun:"asked_at,notnull"`
	Answer        string     `bun:"answer,notnull"`
	AnsweredBy    int64      `bun:"answered_by,notnull"`
	AnsweredAt    *time.Time `bun:"answered_at"`
}

// Open reports whether the follow-up waits for an answer.
func (f *Followup) Open() bool { return f.AnsweredAt == nil }

// checkFollowupText trims text and says what is wrong with it, if anything.
func checkFollowupText(text string) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", ErrFollowupText
	case utf8.RuneCountInString(text) > MaxComment:
		return "", ErrFollowupLong
	case i18n.Invisible(text):
		return "", ErrInvisible
	}
	return text, nil
}

// AskFollowup asks the commune about the value of element elementID in
// report reportID, with an audit line. Asking about a value already asked
// about replaces the question and clears the answer.
func AskFollowup(ctx context.Context, db bun.IDB, who accounts.Actor, reportID, elementID int64, question string) (*Followup, error) {
	var probs []accounts.Problem
	question, err := checkFollowupText(question)
	if err != nil {
		probs = append(probs, accounts.Problem{Field: "question", Err: err})
	}
	els, err := EnteredElements(ctx, db)
	if err != nil {
		return nil, err
	}
	var el *Element
	for i := range els {
		if els[i].ID == elementID {
			el = &els[i]
		}
	}
	if el == nil {
		probs = append([]accounts.Problem{{Field: "element", Err: ErrFollowupElement}}, probs...)
	}
	if len(probs) > 0 {
		return nil, &accounts.ValidationError{Problems: probs}
	}
	f := &Followup{}
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		// The report's row is locked first: two officials asking about a
		// value no one has asked about yet would otherwise both find no
		// follow-up and both insert one, and the second fail on the
		// one-per-value constraint (PostgreSQL; SQLite's write lock
		// already orders them).
		if err := lockReport(ctx, tx, reportID); err != nil {
			return err
		}
		rep, _, err := ReportByID(ctx, tx, reportID)
		if err != nil {
			return err
		}
		u, err := UnitByID(ctx, tx, rep.UnitID)
		if err != nil {
			return err
		}
		err = database.ForUpdate(tx.NewSelect().Model(f).Where("report_id = ? AND element_id = ?", reportID, elementID)).Scan(ctx)
		old := f.Question
		switch {
		case errors.Is(err, database.ErrNotFound) || database.IsNoRows(err):
			f = &Followup{ReportID: reportID, ElementID: elementID}
		case err != nil:
			return fmt.Errorf("indicators.AskFollowup: %w", err)
		}
		f.Question, f.AskedBy, f.AskedAt = question, who.UserID, time.Now().UTC()
		f.Answer, f.AnsweredBy, f.AnsweredAt = "", 0, nil
		if f.ID == 0 {
			_, err = tx.NewInsert().Model(f).Exec(ctx)
		} else {
			_, err = tx.NewUpdate().Model(f).WherePK().Exec(ctx)
		}
		if err != nil {
			return fmt.Errorf("indicators.AskFollowup: %w", err)
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: "indicators.followup.ask", ObjectType: "indicator_value",
			ObjectID: u.Code + "/" + rep.Period + "/" + el.Code, Old: old, New: question})
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// AnswerFollowup records the commune's answer to follow-up id, with an
// audit line; answering again replaces the answer.
func AnswerFollowup(ctx context.Context, db bun.IDB, who accounts.Actor, id int64, answer string) (*Followup, error) {
	answer, err := checkFollowupText(answer)
	if err != nil {
		return nil, &accounts.ValidationError{Problems: []accounts.Problem{{Field: "answer", Err: err}}}
	}
	var f *Followup
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		// Locked, as an ask at the same time rewrites the question and
		// clears the answer: the answer must not put the old question back.
		f = &Followup{}
		if err := database.ForUpdate(tx.NewSelect().Model(f).Where("id = ?", id)).Scan(ctx); err != nil {
			if database.IsNoRows(err) {
				return database.ErrNotFound
			}
			return fmt.Errorf("indicators.AnswerFollowup: %w", err)
		}
		rep, _, err := ReportByID(ctx, tx, f.ReportID)
		if err != nil {
			return err
		}
		u, err := UnitByID(ctx, tx, rep.UnitID)
		if err != nil {
			return err
		}
		var code string
		if err := tx.NewSelect().Table("indicator_elements").Column("code").Where("id = ?", f.ElementID).Scan(ctx, &code); err != nil {
			return fmt.Errorf("indicators.AnswerFollowup: %w", err)
		}
		old, now := f.Answer, time.Now().UTC()
		f.Answer, f.AnsweredBy, f.AnsweredAt = answer, who.UserID, &now
		if _, err := tx.NewUpdate().Model(f).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("indicators.AnswerFollowup: %w", err)
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: "indicators.followup.answer", ObjectType: "indicator_value",
			ObjectID: u.Code + "/" + rep.Period + "/" + code, Old: old, New: answer})
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// FollowupByID reads one follow-up; database.ErrNotFound when there is none.
func FollowupByID(ctx context.Context, db bun.IDB, id int64) (*Followup, error) {
	f := &Followup{}
	if err := db.NewSelect().Model(f).Where("id = ?", id).Scan(ctx); err != nil {
		if database.IsNoRows(err) {
			return nil, database.ErrNotFound
		}
		return nil, fmt.Errorf("indicators.FollowupByID: %w", err)
	}
	return f, nil
}

// FollowupRow is a follow-up with what a list shows of its report.
type FollowupRow struct {
	Followup
	UnitID   int64  `bun:"unit_id"`
	UnitName string `bun:"unit_name"`
	UnitEN   string `bun:"unit_name_en"`
	Period   string `bun:"period"`
}

// FollowupFilter chooses follow-ups: of one report, or of the reports of
// some unit versions (nil for all, empty for none), open ones first, at
// most Limit.
type FollowupFilter struct {
	ReportID int64
	Units    []int64
	Limit    int
}

// ListFollowups returns the follow-ups f chooses: open ones first, then the
// newest questions first.
func ListFollowups(ctx context.Context, db bun.IDB, f FollowupFilter) ([]FollowupRow, error) {
	if f.Units != nil && len(f.Units) == 0 {
		return nil, nil
	}
	var rows []FollowupRow
	q := db.NewSelect().TableExpr("indicator_followups AS f").
		ColumnExpr("f.*, r.unit_id, r.period, u.name AS unit_name, u.name_en AS unit_name_en").
		Join("JOIN indicator_reports AS r ON r.id = f.report_id").
		Join("JOIN org_units AS u ON u.id = r.unit_id")
	if f.ReportID != 0 {
		q = q.Where("f.report_id = ?", f.ReportID)
	}
	if f.Units != nil {
		q = q.Where("r.unit_id IN (?)", bun.List(f.Units))
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	err := q.OrderExpr("CASE WHEN f.answered_at IS NULL THEN 0 ELSE 1 END, f.asked_at DESC, f.id DESC").Limit(int64(f.Limit)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("indicators.ListFollowups: %w", err)
	}
	return rows, nil
}

// lockReport locks report id's row until tx ends (see database.ForUpdate);
// database.ErrNotFound when there is no such report.
func lockReport(ctx context.Context, tx bun.Tx, id int64) error {
	var got int64
	err := database.ForUpdate(tx.NewSelect().Table("indicator_reports").Column("id").Where("id = ?", id)).Scan(ctx, &got)
	if database.IsNoRows(err) {
		return database.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("indicators: lock report %d: %w", id, err)
	}
	return nil
}

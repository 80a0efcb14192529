package indicators

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
)

// Refusals of the rule use cases, each on its field.
var (
	ErrRuleText     = errors.New("a name or message is empty")
	ErrRuleTextLong = errors.New("a name or message is too long")
	ErrRuleExpr     = errors.New("not a sum of entered elements")
	ErrRuleOp       = errors.New("not a comparison")
	// ErrRuleDuplicate: the portal has the same rule already, maybe
	// written from the other side (B >= A for A <= B).
	ErrRuleDuplicate = errors.New("the same rule exists")
	// ErrRuleBuiltin: a built-in rule cannot be deleted.
	ErrRuleBuiltin = errors.New("a built-in rule")
)

// Bounds of a rule's texts and sides.
const (
	MaxRuleName    = 150
	MaxRuleMessage = 400
	MaxRuleExpr    = 300
	maxRuleTerms   = 12
	// MaxRules bounds the rules a portal keeps: each is checked on every
	// report entered, imported and reviewed.
	MaxRules = 100
)

// ErrTooManyRules: the portal holds MaxRules rules already.
var ErrTooManyRules = errors.New("too many rules")

// Rule compares two sums of the elements of one report: Left Op Right,
// where each side is element codes joined by + and - ("HH_FIBRE",
// "POP_15 - POP_WORKING") and Op is <=, = or >=.
type Rule struct {
	bun.BaseModel `bun:"table:indicator_rules"`
	ID            int64  `bun:"id,pk,autoincrement"`
	NameVI        string `bun:"name_vi,notnull"`
	NameEN        string `bun:"name_en,notnull"`
	MessageVI     string `bun:"message_vi,notnull"`
	MessageEN     string `bun:"message_en,notnull"`
	Left          string `bun:"left_expr,notnull"`
	Op            string `bun:"op,notnull"`
	Right         string `bun:"right_expr,notnull"`
	Builtin       bool   `bun:"builtin,notnull"`
}

// Name is the rule's name in the language asked for.
func (r *Rule) Name(english bool) string {
	if english {
		return r.NameEN
	}
	return r.NameVI
}

// Message is the rule's message in the language asked for.
func (r *Rule) Message(english bool) string {
	if english {
		return r.MessageEN
	}
	return r.MessageVI
}

// term is one element of a side, added (+1) or taken away (-1).
type term struct {
	sign int64
	code string
}

// parseSide reads "A + B - C" into terms: codes among codes, each after
// the first preceded by + or -.
func parseSide(s string, codes map[string]int64) ([]term, error) {
	if utf8.RuneCountInString(s) > MaxRuleExpr {
		return nil, ErrRuleExpr
	}
	fields := strings.Fields(strings.NewReplacer("+", " + ", "-", " - ").Replace(s))
	if len(fields)%2 == 0 || len(fields) > 2*maxRuleTerms-1 {
		return nil, ErrRuleExpr // empty, a sign at an end, or too long
	}
	out := make([]term, 0, len(fields)/2+1)
	for i := 0; i < len(fields); i += 2 {
		sign := int64(1)
		if i > 0 {
			switch fields[i-1] {
			case "+":
			case "-":
				sign = -1
			default:
				return nil, ErrRuleExpr // two codes side by side
			}
		}
		code := strings.ToUpper(fields[i])
		if _, ok := codes[code]; !ok {
			return nil, ErrRuleExpr
		}
		out = append(out, term{sign, code})
	}
	return out, nil
}

// formatSide writes terms as the canonical "A + B - C".
func formatSide(ts []term) string {
	var b strings.Builder
	for i, t := range ts {
		switch {
		case i > 0 && t.sign < 0:
			b.WriteString(" - ")
		case i > 0:
			b.WriteString(" + ")
		}
		b.WriteString(t.code)
	}
	return b.String()
}

// NewRule is a rule as an admin types it.
type NewRule struct {
	NameVI, NameEN, MessageVI, MessageEN, Left, Op, Right string
}

// enteredCodes maps the codes of the entered elements to their IDs.
func enteredCodes(ctx context.Context, db bun.IDB) (map[string]int64, error) {
	els, err := EnteredElements(ctx, db)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(els))
	for _, e := range els {
		out[e.Code] = e.ID
	}
	return out, nil
}

// AddRule checks a new rule (each refused field named), stores it and
// adds an audit line, in one transaction.
func AddRule(ctx context.Context, db bun.IDB, who accounts.Actor, in NewRule) (*Rule, error) {
	codes, err := enteredCodes(ctx, db)
	if err != nil {
		return nil, err
	}
	r := &Rule{Op: in.Op, Builtin: false}
	var probs []accounts.Problem
	text := func(field, s string, max int) string {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			probs = append(probs, accounts.Problem{Field: field, Err: ErrRuleText})
		case utf8.RuneCountInString(s) > max:
			probs = append(probs, accounts.Problem{Field: field, Err: ErrRuleTextLong})
		case i18n.Invisible(s):
			probs = append(probs, accounts.Problem{Field: field, Err: ErrInvisible})
		}
		return s
	}
	r.NameVI = text("name_vi", in.NameVI, MaxRuleName)
	r.NameEN = text("name_en", in.NameEN, MaxRuleName)
	r.MessageVI = text("message_vi", in.MessageVI, MaxRuleMessage)
	r.MessageEN = text("message_en", in.MessageEN, MaxRuleMessage)
	if ts, err := parseSide(in.Left, codes); err != nil {
		probs = append(probs, accounts.Problem{Field: "left", Err: err})
	} else {
		r.Left = formatSide(ts)
	}
	if r.Op != "<=" && r.Op != "=" && r.Op != ">=" {
		probs = append(probs, accounts.Problem{Field: "op", Err: ErrRuleOp})
	}
	if ts, err := parseSide(in.Right, codes); err != nil {
		probs = append(probs, accounts.Problem{Field: "right", Err: err})
	} else {
		r.Right = formatSide(ts)
	}
	if len(probs) > 0 {
		return nil, &accounts.ValidationError{Problems: probs}
	}
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		// Rules added at once are added one after the other, so that the
		// count and the search for the same rule see each other (SQLite's
		// write lock orders them already).
		if database.IsPostgres(tx) {
			if _, err := tx.ExecContext(ctx, "LOCK TABLE indicator_rules IN SHARE ROW EXCLUSIVE MODE"); err != nil {
				return fmt.Errorf("indicators.AddRule: %w", err)
			}
		}
		var have []Rule
		if err := tx.NewSelect().Model(&have).Scan(ctx); err != nil {
			return fmt.Errorf("indicators.AddRule: %w", err)
		}
		if len(have) >= MaxRules {
			return ErrTooManyRules
		}
		// Every indicator's numerator within its denominator is checked
		// already, stored or not.
		inds, err := Indicators(ctx, tx)
		if err != nil {
			return err
		}
		byID := make(map[int64]string, len(codes))
		for code, id := range codes {
			byID[id] = code
		}
		for _, in := range inds {
			if num, den := byID[in.NumeratorID], byID[in.DenominatorID]; num != "" && den != "" {
				have = append(have, Rule{Left: num, Op: "<=", Right: den})
			}
		}
		mirror := map[string]string{"<=": ">=", ">=": "<=", "=": "="}
		for _, h := range have {
			hl, hr, rl, rr := sideKey(h.Left), sideKey(h.Right), sideKey(r.Left), sideKey(r.Right)
			if (hl == rl && h.Op == r.Op && hr == rr) || (hl == rr && h.Op == mirror[r.Op] && hr == rl) {
				return &accounts.ValidationError{Problems: []accounts.Problem{{Field: "left", Err: ErrRuleDuplicate}}}
			}
		}
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return fmt.Errorf("indicators.AddRule: %w", err)
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: "indicators.rule.add", ObjectType: "indicator_rule",
			ObjectID: fmt.Sprint(r.ID), New: r.Left + " " + r.Op + " " + r.Right + " | " + r.NameVI + " | " + r.NameEN})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// DeleteRule removes a rule an admin added, with an audit line; a built-in
// rule is refused.
func DeleteRule(ctx context.Context, db bun.IDB, who accounts.Actor, id int64) error {
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		r := &Rule{}
		if err := tx.NewSelect().Model(r).Where("id = ?", id).Scan(ctx); err != nil {
			if database.IsNoRows(err) {
				return database.ErrNotFound
			}
			return fmt.Errorf("indicators.DeleteRule: %w", err)
		}
		if r.Builtin {
			return ErrRuleBuiltin
		}
		if _, err := tx.NewDelete().Model(r).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("indicators.DeleteRule: %w", err)
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: "indicators.rule.delete", ObjectType: "indicator_rule",
			ObjectID: fmt.Sprint(r.ID), Old: r.Left + " " + r.Op + " " + r.Right + " | " + r.NameVI + " | " + r.NameEN})
	})
}

// Rules lists the stored rules, built-in ones first.
func Rules(ctx context.Context, db bun.IDB) ([]Rule, error) {
	var rs []Rule
	if err := db.NewSelect().Model(&rs).OrderExpr("builtin DESC, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.Rules: %w", err)
	}
	return rs, nil
}

// RuleViolation is a rule a report breaks, with both sides' sums.
type RuleViolation struct {
	Rule        Rule
	Left, Right int64
}

// CheckRules returns the rules vals break. A rule with an element left
// blank is not checked: the completeness check speaks for blanks.
func CheckRules(ctx context.Context, db bun.IDB, vals Values) ([]RuleViolation, error) {
	check, err := RuleChecker(ctx, db)
	if err != nil {
		return nil, err
	}
	return check(vals), nil
}

// RuleChecker reads the rules once and returns a function that checks one
// report's values against them, for a file of many reports.
func RuleChecker(ctx context.Context, db bun.IDB) (func(Values) []RuleViolation, error) {
	rules, err := Rules(ctx, db)
	if err != nil {
		return nil, err
	}
	codes, err := enteredCodes(ctx, db)
	if err != nil {
		return nil, err
	}
	return checkerOf(rules, codes), nil
}

// checkerOf reads each rule's sides once, so that a file of many reports
// costs a sum per rule and report, not a parse (an element since removed:
// the rule checks nothing).
func checkerOf(rules []Rule, codes map[string]int64) func(Values) []RuleViolation {
	type parsed struct {
		rule        Rule
		left, right []term
	}
	var ps []parsed
	for _, r := range rules {
		l, err1 := parseSide(r.Left, codes)
		rt, err2 := parseSide(r.Right, codes)
		if err1 == nil && err2 == nil {
			ps = append(ps, parsed{r, l, rt})
		}
	}
	return func(vals Values) []RuleViolation {
		var out []RuleViolation
		sum := func(ts []term) (int64, bool) {
			var n int64
			for _, t := range ts {
				v, ok := vals[codes[t.code]]
				if !ok {
					return 0, false
				}
				n += t.sign * v
			}
			return n, true
		}
		for _, p := range ps {
			r := p.rule
			l, ok1 := sum(p.left)
			rt, ok2 := sum(p.right)
			if !ok1 || !ok2 {
				continue
			}
			broken := (r.Op == "<=" && l > rt) || (r.Op == "=" && l != rt) || (r.Op == ">=" && l < rt)
			if broken {
				out = append(out, RuleViolation{Rule: r, Left: l, Right: rt})
			}
		}
		return out
	}
}

// sideKey names a side ("A + B - C", as formatSide writes it) whatever the
// order of its terms: "B + A" and "A + B" are one sum.
func sideKey(side string) string {
	fields := strings.Fields(side)
	terms := make([]string, 0, len(fields)/2+1)
	sign := "+"
	for _, f := range fields {
		switch f {
		case "+", "-":
			sign = f
		default:
			terms = append(terms, sign+f)
		}
	}
	slices.Sort(terms)
	return strings.Join(terms, " ")
}

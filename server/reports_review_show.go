package server

import (
	"fmt"
	"net/http"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
)

type reviewView struct {
	Page
	ID                     int64
	UnitName, UnitCode     string
	PeriodLabel, PrevLabel string
	Status, StatusMsg      string
	Comment                string
	Rows                   []reviewValue
	CanApprove, CanUnlock  bool
	Warnings               int
	Done                   string
	// Outliers counts the values outside their usual range; OutlierNote
	// says how a range is found, when any is shown.
	Outliers    int
	OutlierNote string
	// Follow-ups on the report's values; CanAsk offers the form asking one,
	// AskElement and AskQuestion keep what a refused form held.
	Followups               []followupItem
	CanAsk                  bool
	AskElements             []indOption
	AskElement, AskQuestion string
	// RuleWarnings words each validation rule the report breaks.
	RuleWarnings []string
}

type reviewValue struct {
	Name, Value, Prev, Change string
	Jump                      bool
	Range                     string // the usual range, "–" when there is none
	Outlier                   bool
}

// reportsReviewShow shows one report beside the previous month, with the
// approve-or-return form for province officials and the unlock form for
// admins.
func (s *indicatorsPart) reportsReviewShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.reviewView(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, "reports-review-show", v)
}

func (s *indicatorsPart) reviewView(w http.ResponseWriter, r *http.Request) (*reviewView, error) {
	id, err := reportID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	rep, vals, err := indicators.ReportByID(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	u, err := indicators.UnitByID(ctx, s.db, rep.UnitID)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeReport(r, accounts.ActIndicatorsView, u); err != nil {
		return nil, err
	}
	p := s.page(w, r, "indicators.review.show_title")
	en := p.Lang == i18n.EN
	per, err := indicators.ParsePeriod(rep.Period)
	if err != nil {
		return nil, fmt.Errorf("report %d: %w", rep.ID, err)
	}
	v := &reviewView{Page: p, ID: rep.ID, UnitName: u.DisplayName(en), UnitCode: u.Code, PeriodLabel: indPeriodLabel(p.L, per),
		PrevLabel: indPeriodLabel(p.L, per.Prev()), Status: string(rep.Status), StatusMsg: statusMsg(rep.Status), Comment: rep.Comment}
	if d := r.URL.Query().Get("done"); d == "approved" || d == "returned" || d == "unlocked" {
		v.Done = "indicators.review.done." + d
	} else if d == "asked" {
		v.Done = "quality.followup.done.asked"
	}
	v.CanApprove = rep.Status == indicators.StatusSubmitted && s.authorize(r, accounts.ActIndicatorsApprove, accounts.Object{UnitVersion: u.ID}) == nil
	v.CanUnlock = rep.Status == indicators.StatusApproved && s.authorize(r, accounts.ActIndicatorsUnlock, accounts.Object{UnitVersion: u.ID}) == nil
	cmp, err := indicators.CompareWithPrevious(ctx, s.db, u, per, vals)
	if err != nil {
		return nil, err
	}
	prev := cmp.Prev
	jumps := map[int64]bool{}
	for _, j := range cmp.Jumps {
		jumps[j.ElementID] = true
	}
	els, err := indicators.EnteredElements(ctx, s.db)
	if err != nil {
		return nil, err
	}
	ranges, err := indicators.OutlierRanges(ctx, s.db, u.ID, per)
	if err != nil {
		return nil, err
	}
	for _, e := range els {
		rv := reviewValue{Name: e.Name(en), Value: "–", Prev: "–", Change: "–", Jump: jumps[e.ID], Range: "–"}
		n, ok := vals[e.ID]
		if ok {
			rv.Value = p.L.Int(n)
		}
		if rg, has := ranges[e.ID]; has {
			rv.Range, v.OutlierNote = outlierRangeText(p.L, rg), outlierNote(p.L)
			if ok && rg.Outside(n) {
				rv.Outlier = true
				v.Outliers++
			}
		}
		if cmp.NotComparable[e.ID] {
			rv.Prev = p.L.T("indicators.not_comparable.short")
		} else if pv, ok2 := prev[e.ID]; ok2 {
			rv.Prev = p.L.Int(pv)
			if ok && pv > 0 {
				rv.Change = p.L.Percent(100 * float64(n-pv) / float64(pv))
				if n > pv {
					rv.Change = "+" + rv.Change // a rise says so as a fall does
				}
			}
		}
		if rv.Jump {
			v.Warnings++
		}
		v.Rows = append(v.Rows, rv)
	}
	broken, err := indicators.CheckRules(ctx, s.db, vals)
	if err != nil {
		return nil, err
	}
	for _, x := range broken {
		v.RuleWarnings = append(v.RuleWarnings, ruleViolationText(p.L, "quality.rules.violation_review", x))
	}
	return v, s.reviewFollowups(r, v, rep.ID, u, els)
}

package server

import (
	"net/http"
	"strconv"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
)

type entryView struct {
	Page
	Unit        *indicators.Unit
	UnitName    string
	Period      string
	PeriodLabel string
	WindowFrom  string
	WindowTo    string
	Status      string
	StatusMsg   string
	Comment     string
	Editable    bool
	Fields      []entryField
	Warnings    []string
	OutlierNote string // how a usual range is found, when a value is outside one
	// OpenFollowups counts the questions about the report's figures that
	// wait for an answer.
	OpenFollowups int
	NeedConfirm   bool
	Saved         string // message ID of what just happened
	Units         []indOption
	Periods       []indOption
	PrevLabel     string
}

type entryField struct {
	Name, Label, Value, Prev, Hint, Error, Warning string
	// Outlier says the value lies outside the unit's usual range.
	Outlier string
}

// entryTarget resolves the unit and period of the entry form from the query
// (or the form): the official's own unit when it reports, else the first
// reporting unit below it; the month due now when none is asked for.
func (s *indicatorsPart) entryTarget(r *http.Request, vals func(string) string) (*indicators.Unit, indicators.Period, []indicators.Unit, error) {
	ctx := r.Context()
	period := indicators.DueMonth(s.now())
	if ps := vals("period"); ps != "" {
		p, err := indicators.ParsePeriod(ps)
		if err != nil || p.Kind != indicators.Monthly || p.Compare(indicators.MonthOf(s.now())) > 0 {
			return nil, period, nil, errBadRequest
		}
		period = p
	}
	user := s.currentUser(r)
	mine, err := indicators.ReportingUnits(ctx, s.db, user.UnitCode, period, 200)
	if err != nil {
		return nil, period, nil, err
	}
	code := vals("unit")
	if code == "" {
		if len(mine) == 0 {
			return nil, period, mine, nil
		}
		code = mine[0].Code
	}
	if err := s.authorizeUnit(r, accounts.ActIndicatorsEnter, code); err != nil {
		return nil, period, mine, err
	}
	u, err := indicators.UnitByCode(ctx, s.db, code, period.Day())
	if err != nil {
		return nil, period, mine, err
	}
	return u, period, mine, nil
}

// reportsEntryForm shows a unit's values for a month beside last
// month's, in a plain form that works without JavaScript.
func (s *indicatorsPart) reportsEntryForm(w http.ResponseWriter, r *http.Request) error {
	u, period, mine, err := s.entryTarget(r, r.URL.Query().Get)
	if err != nil {
		return err
	}
	v := &entryView{Page: s.page(w, r, "indicators.entry.title")}
	if r.URL.Query().Get("saved") != "" {
		v.Saved = "indicators.entry.saved." + r.URL.Query().Get("saved")
		if r.URL.Query().Get("saved") != "draft" && r.URL.Query().Get("saved") != "submitted" {
			v.Saved = ""
		}
	}
	if err := s.fillEntry(r, v, u, period, mine, nil, nil); err != nil {
		return err
	}
	return s.render(w, r, "reports-entry", v)
}

// fillEntry loads the report and the previous month's values into v; typed
// values (from a refused post) take the place of the stored ones.
func (s *indicatorsPart) fillEntry(r *http.Request, v *entryView, u *indicators.Unit, period indicators.Period, mine []indicators.Unit, typed map[int64]string, probs []indicators.Problem) error {
	ctx := r.Context()
	l := v.L
	en := v.Lang == i18n.EN
	for _, m := range mine {
		v.Units = append(v.Units, indOption{m.Code, m.DisplayName(en)})
	}
	v.Periods = indMonthOptions(l, indicators.MonthOf(s.now()), 24)
	v.Period, v.PeriodLabel = period.String(), indPeriodLabel(l, period)
	from, to := period.ReportingWindow()
	v.WindowFrom, v.WindowTo = l.Date(from), l.Date(to)
	if u == nil {
		return nil
	}
	v.Unit, v.UnitName = u, u.DisplayName(en)
	rep, vals, err := indicators.ReportFor(ctx, s.db, u.ID, period)
	if err != nil {
		return err
	}
	v.Status, v.StatusMsg, v.Comment, v.Editable = string(rep.Status), statusMsg(rep.Status), rep.Comment, rep.Status.Editable()
	cmp, err := indicators.CompareWithPrevious(ctx, s.db, u, period, nil)
	if err != nil {
		return err
	}
	prev := cmp.Prev
	v.PrevLabel = indPeriodLabel(l, period.Prev())
	els, err := indicators.EnteredElements(ctx, s.db)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, e := range els {
		names[e.ID] = e.Name(en)
	}
	for _, e := range els {
		f := entryField{Name: "e" + strconv.FormatInt(e.ID, 10), Label: e.Name(en), Prev: "–"}
		if n, ok := vals[e.ID]; ok {
			f.Value = l.Int(n)
		}
		if typed != nil {
			f.Value = typed[e.ID]
		}
		if n, ok := prev[e.ID]; ok {
			f.Prev = l.Int(n)
		}
		f.Hint = l.T("indicators.entry.prev", "Month", v.PrevLabel, "Value", f.Prev)
		if cmp.NotComparable[e.ID] {
			f.Hint = l.T("indicators.entry.prev_not_comparable", "Month", v.PrevLabel)
		}
		for _, p := range probs {
			if p.ElementID != e.ID {
				continue
			}
			msg := l.T(p.MsgID, "Name", e.Name(en), "Other", names[p.Other], "Share", l.Percent(100*p.Share))
			if p.MsgID == "indicators.entry.warning.jump" {
				msg = jumpWarning(l, e.Name(en), p)
				f.Warning = msg
				v.Warnings = append(v.Warnings, msg)
			} else {
				f.Error = msg
				v.Errors = append(v.Errors, i18n.FieldError{Field: f.Name, Message: msg})
			}
		}
		v.Fields = append(v.Fields, f)
	}
	if err := s.flagOutliers(r, v, u, period, els, vals, typed); err != nil {
		return err
	}
	if err := s.flagRules(r, v, vals, typed); err != nil {
		return err
	}
	return s.entryFollowups(r, v, rep.ID)
}

// jumpWarning says how a value jumped against the previous month: which
// way, from what to what, and by how much.
func jumpWarning(l *i18n.Localizer, name string, p indicators.Problem) string {
	id := "indicators.entry.warning.jump"
	if p.Value < p.Prev {
		id = "indicators.entry.warning.jump_down"
	}
	return l.T(id, "Name", name, "From", l.Int(p.Prev), "To", l.Int(p.Value), "Share", l.Percent(100*p.Share))
}

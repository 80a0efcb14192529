package server

import (
	"errors"
	"fmt"
	"net/http"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
)

// followupsShown bounds the follow-ups one list shows: open ones come
// first, so what waits for an answer is always there.
const followupsShown = 100

type followupsView struct {
	Page
	Items []followupItem
	Done  bool
}

// followupItem is one follow-up as a page shows it; Typed keeps an answer
// that was refused, Error says why.
type followupItem struct {
	ID                       int64
	ReportID                 int64
	Unit, Period, Element    string
	Question, Asked          string
	Answer, Answered         string
	Open, CanAnswer, CanOpen bool
	Typed, Error             string
}

// reportsFollowupsList lists the follow-ups on the reports in the
// official's scope, open ones first: a commune official answers them here,
// a province official reads the answers.
func (s *indicatorsPart) reportsFollowupsList(w http.ResponseWriter, r *http.Request) error {
	v, err := s.followupsView(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, "reports-followups", v)
}

func (s *indicatorsPart) followupsView(w http.ResponseWriter, r *http.Request) (*followupsView, error) {
	p := s.page(w, r, "quality.followup.title")
	f := indicators.ReportFilter{}
	if err := s.scopeReports(r, &f); err != nil {
		return nil, err
	}
	rows, err := indicators.ListFollowups(r.Context(), s.db, indicators.FollowupFilter{Units: f.Units, Limit: followupsShown})
	if err != nil {
		return nil, err
	}
	items, err := s.followupItems(r, p.L, rows)
	if err != nil {
		return nil, err
	}
	return &followupsView{Page: p, Items: items, Done: r.URL.Query().Get("done") == "answered"}, nil
}

// followupItems words follow-ups for a page, saying which of them the
// signed-in user may answer (a commune official, on their own unit's
// reports) and whose report they may open.
func (s *indicatorsPart) followupItems(r *http.Request, l *i18n.Localizer, rows []indicators.FollowupRow) ([]followupItem, error) {
	els, err := indicators.EnteredElements(r.Context(), s.db)
	if err != nil {
		return nil, err
	}
	en := l.Lang == i18n.EN
	names := map[int64]string{}
	for _, e := range els {
		names[e.ID] = e.Name(en)
	}
	out := make([]followupItem, 0, len(rows))
	for _, x := range rows {
		per, err := indicators.ParsePeriod(x.Period)
		if err != nil {
			return nil, fmt.Errorf("follow-up %d: %w", x.ID, err)
		}
		u := indicators.Unit{Name: x.UnitName, NameEN: x.UnitEN}
		it := followupItem{ID: x.ID, ReportID: x.ReportID, Unit: u.DisplayName(en), Period: indPeriodLabel(l, per), Element: names[x.ElementID],
			Question: x.Question, Asked: l.DateTime(x.AskedAt), Answer: x.Answer, Open: x.Open()}
		if x.AnsweredAt != nil {
			it.Answered = l.DateTime(*x.AnsweredAt)
		}
		it.CanAnswer = s.authorize(r, accounts.ActIndicatorsEnter, accounts.Object{UnitVersion: x.UnitID}) == nil
		it.CanOpen = s.authorize(r, accounts.ActIndicatorsView, accounts.Object{UnitVersion: x.UnitID}) == nil
		out = append(out, it)
	}
	return out, nil
}

// followupMessage words a refused question or answer.
func followupMessage(l *i18n.Localizer, err error) string {
	switch {
	case errors.Is(err, indicators.ErrFollowupElement):
		return l.T("quality.followup.error.element")
	case errors.Is(err, indicators.ErrFollowupLong):
		return l.T("quality.followup.error.long", "Max", l.Int(indicators.MaxComment))
	case errors.Is(err, indicators.ErrInvisible):
		return l.T("quality.error.invisible")
	}
	return l.T("quality.followup.error.empty")
}

// entryFollowups counts, for the entry form, the questions about the
// report's figures that wait for the commune's answer.
func (s *indicatorsPart) entryFollowups(r *http.Request, v *entryView, reportID int64) error {
	if reportID == 0 {
		return nil
	}
	rows, err := indicators.ListFollowups(r.Context(), s.db, indicators.FollowupFilter{ReportID: reportID})
	if err != nil {
		return err
	}
	for _, x := range rows {
		if x.Open() {
			v.OpenFollowups++
		}
	}
	return nil
}

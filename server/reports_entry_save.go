package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"digiportal/i18n"
	"digiportal/indicators"
)

// reportsEntrySave saves a draft or submits (indicators.SaveEntry). A
// change of more than the configured share against last month is a
// warning: on submit the official confirms having checked it; nothing is
// refused for it.
func (s *indicatorsPart) reportsEntrySave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	u, period, mine, err := s.entryTarget(r, r.PostForm.Get)
	if err != nil {
		return err
	}
	if u == nil {
		return errNotFound
	}
	ctx := r.Context()
	els, err := indicators.EnteredElements(ctx, s.db)
	if err != nil {
		return err
	}
	raw := map[int64]string{}
	for _, e := range els {
		raw[e.ID] = r.PostForm.Get("e" + strconv.FormatInt(e.ID, 10))
	}
	action := r.PostForm.Get("action")
	if action != "save" && action != "submit" {
		return errBadRequest
	}
	v := &entryView{Page: s.page(w, r, "indicators.entry.title")}
	vals, probs := indicators.ParseValues(raw)
	if len(probs) > 0 {
		if err := s.fillEntry(r, v, u, period, mine, raw, probs); err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusBadRequest, "reports-entry", v)
	}
	e := indicators.Entry{Unit: u, Period: period, Values: vals, Submit: action == "submit", Confirmed: r.PostForm.Get("confirm") == "yes"}
	res, err := indicators.SaveEntry(ctx, s.db, s.actor(r), e)
	if err != nil {
		return s.entryRefused(w, r, v, u, period, mine, raw, err)
	}
	submitted := e.Submit && !res.Held
	if len(res.Jumps) > 0 && !submitted {
		// A warning is shown, not a refusal: the draft is saved, and a
		// held submit asks to confirm the jumps.
		v.Saved, v.NeedConfirm = "indicators.entry.saved.draft", res.Held
		if err := s.fillEntry(r, v, u, period, mine, nil, res.Jumps); err != nil {
			return err
		}
		return s.render(w, r, "reports-entry", v)
	}
	saved := "draft"
	if submitted {
		saved = "submitted"
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/reports/entry?unit=%s&period=%s&saved=%s", v.Lang, u.Code, period, saved), http.StatusSeeOther)
	return nil
}

// entryRefused re-renders the form for a refusal of the domain: problems
// with the values (400) or a report that can no longer change (409).
func (s *indicatorsPart) entryRefused(w http.ResponseWriter, r *http.Request, v *entryView, u *indicators.Unit, period indicators.Period, mine []indicators.Unit, raw map[int64]string, err error) error {
	var pe *indicators.ProblemsError
	switch {
	case errors.As(err, &pe):
		if err := s.fillEntry(r, v, u, period, mine, raw, pe.Problems); err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusBadRequest, "reports-entry", v)
	case errors.Is(err, indicators.ErrNotEditable), errors.Is(err, indicators.ErrNotReporting):
		if err2 := s.fillEntry(r, v, u, period, mine, nil, nil); err2 != nil {
			return err2
		}
		msg := "indicators.entry.error.locked"
		if errors.Is(err, indicators.ErrNotReporting) {
			msg = "indicators.entry.error.not_reporting"
		}
		v.Errors = append(v.Errors, i18n.FieldError{Message: v.L.T(msg)})
		return s.renderStatus(w, r, http.StatusConflict, "reports-entry", v)
	}
	return err
}

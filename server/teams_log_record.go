package server

import (
	"errors"
	"net/http"
	"strconv"

	"digiportal/database"
	"digiportal/i18n"
	"digiportal/teams"
)

// teamLogRecord adds an entry to the helper's team's log; a refused one
// shows the form again with what was typed and each problem at its field.
func (s *indicatorsPart) teamLogRecord(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	in := s.knownVisitInput(r)
	_, err := teams.RecordVisit(r.Context(), s.db, s.actor(r), in, s.now())
	if err == nil {
		http.Redirect(w, r, "/"+r.PathValue("lang")+"/teams/log?done=recorded", http.StatusSeeOther)
		return nil
	}
	return s.teamLogRefused(w, r, in, 0, err)
}

// teamLogCorrect corrects an entry of the helper's team, within 7 days.
func (s *indicatorsPart) teamLogCorrect(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	in := s.knownVisitInput(r)
	err = teams.CorrectVisit(r.Context(), s.db, s.actor(r), id, in, s.now())
	if err == nil {
		http.Redirect(w, r, "/"+r.PathValue("lang")+"/teams/log?done=corrected", http.StatusSeeOther)
		return nil
	}
	if errors.Is(err, teams.ErrNoTeam) {
		return errNotFound
	}
	return s.teamLogRefused(w, r, in, id, err)
}

// teamLogRefused renders the log page again after a refused entry.
func (s *indicatorsPart) teamLogRefused(w http.ResponseWriter, r *http.Request, in teams.VisitInput, id int64, err error) error {
	if errors.Is(err, database.ErrNotFound) {
		return err
	}
	v, verr := s.teamLogView(w, r)
	if verr != nil {
		return verr
	}
	v.Form, v.EditID = in, id
	v.withPicks(s.help)
	switch errs := fieldErrors(v.L, err, nil, teamLogMessage); {
	case errs != nil:
		v.Errors = errs
	case errors.Is(err, teams.ErrLocked):
		v.Locked = true
		v.Errors = []i18n.FieldError{{Message: v.L.T("teams.log.error.locked")}}
	case errors.Is(err, teams.ErrNoTeam):
		v.NoTeam = true
		v.Errors = []i18n.FieldError{{Message: v.L.T("teams.log.no_team")}}
	default:
		return err
	}
	return s.renderStatus(w, r, http.StatusBadRequest, "team-log", v)
}

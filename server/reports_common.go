package server

import (
	"errors"
	"net/http"
	"strconv"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/indicators"
)

// ownUnit is the signed-in official's unit as of today, or its last
// version when it no longer exists; ok is false when no unit ever had the
// official's code, as for an admin, who has none. Any other failure is an
// error, never "no unit": an official's unit bounds what they see.
func (s *indicatorsPart) ownUnit(r *http.Request) (u *indicators.Unit, ok bool, err error) {
	u, err = indicators.LatestUnit(r.Context(), s.db, s.currentUser(r).UnitCode, indicators.Today(s.now()))
	if errors.Is(err, database.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return u, true, nil
}

// scopeReports keeps f to the reports an official may see: those of every
// unit version whose figures land in the official's unit today,
// predecessors included, the same rule as the actions on each
// (authorizeReport). Admins see all.
func (s *indicatorsPart) scopeReports(r *http.Request, f *indicators.ReportFilter) error {
	if s.currentUser(r).Role == accounts.RoleAdmin {
		return nil
	}
	root, ok, err := s.ownUnit(r)
	if err != nil {
		return err
	}
	if !ok {
		return errNotFound
	}
	if f.Units, err = indicators.NewScope(s.db, s.now).VersionsUnder(r.Context(), root.Code); err != nil {
		return err
	}
	if f.Units == nil {
		f.Units = []int64{}
	}
	return nil
}

// authorizeUnit checks act on a unit for the signed-in user; out of scope
// answers 404 so the unit's existence is not revealed.
func (s *indicatorsPart) authorizeUnit(r *http.Request, act accounts.Action, code string) error {
	err := s.authorize(r, act, accounts.Object{Unit: code})
	if errors.Is(err, accounts.ErrOutOfScope) {
		return errNotFound
	}
	return err
}

// authorizeReport checks act on a report of the unit version u for the
// signed-in user, by where u's figures land today (accounts.Object's
// UnitVersion): officials of the province that took over a merged one act
// on its old reports, and a reused code grants nothing. Out of scope
// answers 404 as authorizeUnit does.
func (s *indicatorsPart) authorizeReport(r *http.Request, act accounts.Action, u *indicators.Unit) error {
	err := s.authorize(r, act, accounts.Object{UnitVersion: u.ID})
	if errors.Is(err, accounts.ErrOutOfScope) {
		return errNotFound
	}
	return err
}

// reportID reads the {id} of a report route.
func reportID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// statusMsg names a report state in the message files.
func statusMsg(st indicators.Status) string {
	if st == "" {
		st = indicators.StatusDraft
	}
	return "indicators.status." + string(st)
}

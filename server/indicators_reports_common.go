package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/indicators"
)

// actor is who acts in a request: the signed-in user and the client's
// address, as every use case takes it.
func (s *web) actor(r *http.Request) accounts.Actor {
	return accounts.UserActor(s.currentUser(r), clientIP(r))
}

// dueMonth is the month whose report is due now: the window of Decree
// 09/2019/NĐ-CP for a month ends on its 14th, so from the 15th the month's
// own report is due, before that the previous month's.
func dueMonth(now time.Time) indicators.Period {
	m := indicators.MonthOf(now)
	if now.In(time.FixedZone("ICT", 7*3600)).Day() < 15 {
		return m.Prev()
	}
	return m
}

// reportingUnits lists the units below (or equal to) code that report for
// period, at most limit of them.
func (s *indicatorsPart) reportingUnits(ctx context.Context, code string, period indicators.Period, limit int) ([]indicators.Unit, error) {
	root, err := indicators.UnitByCode(ctx, s.db, code, period.Day())
	if errors.Is(err, database.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sub, err := indicators.Subtree(ctx, s.db, root, period.Day())
	if err != nil {
		return nil, err
	}
	parents := map[string]bool{}
	for _, u := range sub {
		parents[u.ParentCode] = true
	}
	var out []indicators.Unit
	for _, u := range sub {
		if !parents[u.Code] {
			out = append(out, u)
			if len(out) >= limit {
				break
			}
		}
	}
	return out, nil
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

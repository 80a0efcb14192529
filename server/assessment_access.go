package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"digiportal/assessments"
	"digiportal/database"
)

// Who may open a response. The ID in the URL opens nothing by itself (it
// is logged with every request path): a browser may open the responses of
// the series whose resume code it started with or typed in, which its
// session remembers; a signed-in user may open the series kept under their
// account (assessments.KeepUnderAccount: only with their consent), on any
// device; and every visitor may read, not change, the seeded demo
// responses.
const sessAssessmentSeries = "assessment_series"

// maxOwnedSeries bounds how many series one session remembers.
const maxOwnedSeries = 10

// ownedSeries is a series this session may open. Its resume code is not
// kept here: the sessions table would hold in clear what the assessments
// store keeps only as a hash. The browser keeps it instead, in its own
// cookie (assessmentCodesCookie), to be shown again.
type ownedSeries struct {
	ID string `json:"id"`
}

// assessmentCodesCookie holds, in the browser only, the resume codes of the
// series this browser started or typed in, so that the pages can show them
// again. A code read from it is shown only if it opens that very series.
const assessmentCodesCookie = "assessment_codes"

type seriesCode struct {
	ID   string `json:"id"`
	Code string `json:"code"`
}

// assessmentOwned returns the series this session may open, newest first.
func (s *assessmentsPart) assessmentOwned(ctx context.Context) []ownedSeries {
	raw := s.sessions.GetString(ctx, sessAssessmentSeries)
	if raw == "" {
		return nil
	}
	var out []ownedSeries
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil // unreadable: as if nothing were remembered; the code still opens it
	}
	return out
}

// assessmentOwn lets this session open a series from now on, and this
// browser show its code. The session token is renewed first, so a token
// planted before cannot ride along.
func (s *assessmentsPart) assessmentOwn(w http.ResponseWriter, r *http.Request, seriesID, code string) error {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	list := []ownedSeries{{ID: seriesID}}
	for _, o := range s.assessmentOwned(ctx) {
		if o.ID != seriesID && len(list) < maxOwnedSeries {
			list = append(list, o)
		}
	}
	b, err := json.Marshal(list)
	if err != nil {
		return err
	}
	s.sessions.Put(ctx, sessAssessmentSeries, string(b))
	codes := []seriesCode{{ID: seriesID, Code: code}}
	for _, c := range assessmentCodes(r) {
		if c.ID != seriesID && len(codes) < maxOwnedSeries {
			codes = append(codes, c)
		}
	}
	b, err = json.Marshal(codes)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: assessmentCodesCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/",
		HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode})
	return nil
}

// assessmentCodes reads the browser's codes cookie; unreadable is empty.
func assessmentCodes(r *http.Request) []seriesCode {
	c, err := r.Cookie(assessmentCodesCookie)
	if err != nil || len(c.Value) > 4096 {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	var out []seriesCode
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out[:min(len(out), maxOwnedSeries)] // a forged cookie costs at most as many look-ups
}

// assessmentCodeOf is the resume code this browser holds for a series, if
// it truly opens the series; else empty.
func (s *assessmentsPart) assessmentCodeOf(r *http.Request, seriesID string) (string, error) {
	for _, c := range assessmentCodes(r) {
		if c.ID != seriesID {
			continue
		}
		series, _, err := assessments.FindByCode(r.Context(), s.db, c.Code)
		if errors.Is(err, database.ErrNotFound) || errors.Is(err, assessments.ErrBadCode) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		if series.ID == seriesID {
			return c.Code, nil
		}
	}
	return "", nil
}

// assessmentCtx is a response as the current visitor may use it.
type assessmentCtx struct {
	resp   *assessments.Response
	series *assessments.Series
	model  *assessments.Model
	owner  bool   // this session may change it (until submitted)
	code   string // the resume code, when this session knows it
	linked bool   // the series is kept under the signed-in user's account
}

// editable reports whether the visitor may still change the answers.
func (a *assessmentCtx) editable() bool { return a.owner && !a.resp.Submitted() }

// assessmentOpen loads the response of the URL for the visitor. A response
// the visitor may not open answers 404, as an unknown one does, so IDs
// cannot be probed.
func (s *assessmentsPart) assessmentOpen(r *http.Request) (*assessmentCtx, error) {
	ctx := r.Context()
	resp, err := assessments.Get(ctx, s.db, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	m, ok := s.cat.Model(resp.ModelVersion)
	if !ok {
		return nil, fmt.Errorf("assessment %s: unknown model %q", resp.ID, resp.ModelVersion)
	}
	series, err := assessments.GetSeries(ctx, s.db, resp.SeriesID)
	if err != nil {
		return nil, err
	}
	a := &assessmentCtx{resp: resp, series: series, model: m}
	for _, o := range s.assessmentOwned(ctx) {
		if o.ID == resp.SeriesID {
			a.owner = true
			if a.code, err = s.assessmentCodeOf(r, o.ID); err != nil {
				return nil, err
			}
			break
		}
	}
	if u := s.currentUser(r); u != nil && series.OwnerID != 0 && series.OwnerID == u.ID {
		a.owner, a.linked = true, true
	}
	if !a.owner && !series.Demo {
		return nil, errNotFound
	}
	return a, nil
}

// assessmentKeep keeps the given series under the signed-in user's account
// when the user consents to it (see assessments.KeepUnderAccount); for a
// visitor who is not signed in, or without that consent, it does nothing.
// It is called where a visitor starts or resumes a series.
func (s *assessmentsPart) assessmentKeep(r *http.Request, seriesID string) error {
	u := s.currentUser(r)
	if u == nil {
		return nil
	}
	_, err := assessments.KeepUnderAccount(r.Context(), s.db, u.ID, seriesID)
	return err
}

// assessmentOpenToChange loads the response for a form that changes it:
// only its owner may, and only until it is submitted. A submitted one sends
// the owner back to the page (now read-only) with no change made.
func (s *assessmentsPart) assessmentOpenToChange(w http.ResponseWriter, r *http.Request, back string) (*assessmentCtx, bool, error) {
	a, err := s.assessmentOpen(r)
	if err != nil {
		return nil, false, err
	}
	if !a.owner {
		return nil, false, errNotFound
	}
	if a.resp.Submitted() {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil, false, nil
	}
	if !a.linked { // going on with a series this browser holds: resuming it
		if err := s.assessmentKeep(r, a.series.ID); err != nil {
			return nil, false, err
		}
	}
	return a, true, nil
}

// assessmentURL is the path of a page of a response.
func assessmentURL(lang, id, rest string) string {
	return "/" + lang + "/assessment/" + id + "/" + rest
}

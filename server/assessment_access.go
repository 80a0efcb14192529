package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"digiportal/assessments"
)

// Who may open a response. The ID in the URL opens nothing by itself (it
// is logged with every request path): a browser may open the responses of
// the series whose resume code it started with or typed in, which its
// session remembers; and every visitor may read, not change, the seeded
// demo responses.
const sessAssessmentSeries = "assessment_series"

// maxOwnedSeries bounds how many series one session remembers.
const maxOwnedSeries = 10

// ownedSeries is a series this session may open, with its resume code in
// display form (the database keeps only a hash of it).
type ownedSeries struct {
	ID   string `json:"id"`
	Code string `json:"code"`
}

// assessmentOwned returns the series this session may open, newest first.
func (s *Server) assessmentOwned(ctx context.Context) []ownedSeries {
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

// assessmentOwn lets this session open a series from now on. The session
// token is renewed first, so a token planted before cannot ride along.
func (s *Server) assessmentOwn(ctx context.Context, seriesID, code string) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	list := []ownedSeries{{ID: seriesID, Code: code}}
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
	return nil
}

// assessmentCtx is a response as the current visitor may use it.
type assessmentCtx struct {
	resp  *assessments.Response
	model *assessments.Model
	owner bool   // this session may change it (until submitted)
	code  string // the resume code, when this session knows it
}

// editable reports whether the visitor may still change the answers.
func (a *assessmentCtx) editable() bool { return a.owner && !a.resp.Submitted() }

// assessmentOpen loads the response of the URL for the visitor. A response
// the visitor may not open answers 404, as an unknown one does, so IDs
// cannot be probed.
func (s *Server) assessmentOpen(r *http.Request) (*assessmentCtx, error) {
	ctx := r.Context()
	resp, err := assessments.Get(ctx, s.db, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	m, ok := s.assessments.cat.Model(resp.ModelVersion)
	if !ok {
		return nil, fmt.Errorf("assessment %s: unknown model %q", resp.ID, resp.ModelVersion)
	}
	a := &assessmentCtx{resp: resp, model: m}
	for _, o := range s.assessmentOwned(ctx) {
		if o.ID == resp.SeriesID {
			a.owner, a.code = true, o.Code
			return a, nil
		}
	}
	series, err := assessments.GetSeries(ctx, s.db, resp.SeriesID)
	if err != nil {
		return nil, err
	}
	if !series.Demo {
		return nil, errNotFound
	}
	return a, nil
}

// assessmentOpenToChange loads the response for a form that changes it:
// only its owner may, and only until it is submitted. A submitted one sends
// the owner back to the page (now read-only) with no change made.
func (s *Server) assessmentOpenToChange(w http.ResponseWriter, r *http.Request, back string) (*assessmentCtx, bool, error) {
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
	return a, true, nil
}

// assessmentURL is the path of a page of a response.
func assessmentURL(lang, id, rest string) string {
	return "/" + lang + "/assessment/" + id + "/" + rest
}

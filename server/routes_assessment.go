package server

import (
	"fmt"
	"time"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/content"
)

// assessmentsPart holds what the self-assessment's handlers need: the
// embedded question models, profile choices and areas (loaded once), the
// clock, and the throttle on resume-code guesses.
type assessmentsPart struct {
	*web
	lessons  *content.Library // the lessons that recommendations link to
	cat      *assessments.Catalog
	now      func() time.Time
	throttle *accounts.Throttle
	// sends limits results sent per client address (assessment_submit.go).
	sends *accounts.Throttle
}

// newAssessmentsPart loads and checks the embedded models: a question or
// recommendation that links to a lesson the portal does not have stops the
// start, like any other broken data file.
func newAssessmentsPart(w *web, lessons *content.Library) (*assessmentsPart, error) {
	cat, err := assessments.LoadCatalog()
	if err != nil {
		return nil, err
	}
	for _, slug := range cat.LessonSlugs() {
		if _, ok := lessons.Lesson(slug); !ok {
			return nil, fmt.Errorf("assessments: the model links to lesson %q, which does not exist", slug)
		}
	}
	return &assessmentsPart{web: w, lessons: lessons, cat: cat, now: time.Now, throttle: accounts.AddressThrottle(), sends: sendThrottle()}, nil
}

// assessmentRoutes lists the routes of the self-assessment. The samples
// open the demo response that assessments.SeedDemo creates under a fixed,
// well-known ID (demo data, open to every visitor, read-only).
func (s *assessmentsPart) routes() []route {
	demo := "/{lang}/assessment/" + assessments.DemoResponseID
	var pages []string
	for _, p := range s.cat.Current().Pages() {
		pages = append(pages, demo+"/questions/"+p)
	}
	return []route{
		{pattern: "GET /{lang}/assessment", handler: s.assessmentIntro, nav: "assessment.nav"},
		{pattern: "POST /{lang}/assessment", handler: s.assessmentStart},
		{pattern: "GET /{lang}/assessment/resume", handler: s.assessmentResumeForm},
		{pattern: "POST /{lang}/assessment/resume", handler: s.assessmentResume},
		{pattern: "GET /{lang}/assessment/{id}/profile", handler: s.assessmentProfileEdit, samples: []string{demo + "/profile"}},
		{pattern: "POST /{lang}/assessment/{id}/profile", handler: s.assessmentProfileSave},
		{pattern: "GET /{lang}/assessment/{id}/questions/{page}", handler: s.assessmentQuestionsEdit, samples: pages},
		{pattern: "POST /{lang}/assessment/{id}/questions/{page}", handler: s.assessmentQuestionsSave},
		{pattern: "GET /{lang}/assessment/{id}/review", handler: s.assessmentReview, samples: []string{demo + "/review"}},
		{pattern: "POST /{lang}/assessment/{id}/review", handler: s.assessmentSubmit},
		{pattern: "GET /{lang}/assessment/{id}/saved", handler: s.assessmentSaved, samples: []string{demo + "/saved"}},
		{pattern: "GET /{lang}/assessment/{id}/result", handler: s.assessmentResult, samples: []string{demo + "/result"}},
		{pattern: "GET /{lang}/assessment/{id}/report", handler: s.assessmentReport, samples: []string{demo + "/report"}},
		{pattern: "POST /{lang}/assessment/{id}/consent", handler: s.assessmentConsentSave},
		{pattern: "POST /{lang}/assessment/{id}/retake", handler: s.assessmentRetake},
		// The officials' aggregates; ?format=csv exports a table of the same view.
		{pattern: "GET /{lang}/reports/assessments", handler: s.assessmentStats, access: accounts.ActAssessmentsStats},
	}
}

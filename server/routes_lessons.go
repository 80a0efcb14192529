package server

import (
	"fmt"
	"time"

	"digiportal/accounts"
	"digiportal/content"
)

// lessonsPart holds what the lessons part's handlers need: the validated
// lessons, topics and paths (embedded, loaded once), the clock, and the
// throttle on resume-code guesses.
type lessonsPart struct {
	*web
	lib      *content.Library
	now      func() time.Time
	throttle *accounts.Throttle
	// views counts lesson views in memory; Server.RunCounters writes them.
	views *content.ViewCounter
}

// newLessonsPart loads and validates the embedded lessons: broken content
// stops the start.
func newLessonsPart(w *web) (*lessonsPart, error) {
	lib, err := content.LoadEmbedded()
	if err != nil {
		return nil, fmt.Errorf("lessons: %w", err)
	}
	return &lessonsPart{web: w, lib: lib, now: time.Now, throttle: accounts.AddressThrottle(),
		views: content.NewViewCounter()}, nil
}

// lessonRoutes lists the routes of the lessons part. The samples are a real
// lesson and path, and the certificate content.SeedDemo creates.
func (s *lessonsPart) routes() []route {
	lib := s.lib
	var lessonSample, pathSample []string
	if len(lib.Lessons) > 0 {
		lessonSample = []string{"/{lang}/lessons/" + lib.Lessons[0].Slug}
	}
	if len(lib.Paths) > 0 {
		pathSample = []string{"/{lang}/paths/" + lib.Paths[0].Slug}
	}
	cert := "/{lang}/certificates/" + content.FormatCode(content.DemoCertificateCode)
	return []route{
		{pattern: "GET /{lang}/lessons", handler: s.lessonsCatalogue, nav: "lessons.nav", cache: &cachePolicy{}},
		{pattern: "GET /{lang}/lessons/search", handler: s.lessonsSearch, expensive: always},
		{pattern: "GET /{lang}/lessons/{slug}", handler: s.lessonShow, samples: lessonSample, cache: &cachePolicy{served: s.countKeptView}},
		{pattern: "POST /{lang}/lessons/{slug}", handler: s.lessonQuizCheck},
		{pattern: "GET /media/lessons/{slug}/{file}", handler: s.lessonMedia},
		{pattern: "GET /{lang}/paths/{slug}", handler: s.pathShow, samples: pathSample, cache: &cachePolicy{}},
		{pattern: "POST /{lang}/paths/{slug}/certificate", handler: s.certificateIssue},
		{pattern: "GET /{lang}/progress", handler: s.progressShow},
		{pattern: "POST /{lang}/progress/resume", handler: s.progressResume},
		{pattern: "POST /{lang}/progress/forget", handler: s.progressForget},
		{pattern: "GET /{lang}/certificates", handler: s.certificateVerify},
		{pattern: "GET /{lang}/certificates/{code}", handler: s.certificateShow, samples: []string{cert}},
		{pattern: "GET /{lang}/certificates/{code}/print", handler: s.certificatePrint, samples: []string{cert + "/print"}},
		{pattern: "POST /{lang}/certificates/{code}/withdraw", handler: s.certificateWithdraw},
		{pattern: "GET /{lang}/reports/lessons", handler: s.lessonsStats, access: accounts.ActLessonsStats},
	}
}

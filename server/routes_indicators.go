package server

import (
	"time"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/content"
	"digiportal/indicators"
	"digiportal/payments"
)

// indicatorsPart holds what the indicators part's handlers need.
type indicatorsPart struct {
	*web
	// counters give the portal-derived monthly figures (lessons completed,
	// self-assessments completed, practice payments completed). A source
	// without a counter shows as "not available".
	counters indicators.Counters
	now      func() time.Time
	// unitImport is held by the unit import being read and written on
	// this instance (see adminUnitsImport).
	unitImport chan struct{}
	// jobs runs the unit imports the admin page queues.
	jobs *unitJobs
	// lib is the lessons' catalogue, which a team's classes choose from
	// (set by the server from the lessons part).
	lib *content.Library
	// help is what a help-log entry may name: the fee catalogue's services
	// and the lessons (set by the server, like lib).
	help *helpCatalogue
	// teamSums keeps the help log's monthly sums the dashboards' figures
	// from team records read (indicators_teams.go).
	teamSums *teamRecords
	// dashboards are the public dashboards of the current data version
	// (indicators_memo.go).
	dashboards dashboardMemo
}

// newIndicatorsPart sets up the indicators part with the counters of the
// portal-derived figures. The standard definitions are seeded by whoever
// migrates the database (cmd/portal), not here.
func newIndicatorsPart(w *web) *indicatorsPart {
	s := &indicatorsPart{
		web: w,
		counters: indicators.Counters{
			indicators.SourceLessons:     content.CompletionCounter{DB: w.db},
			indicators.SourceAssessments: assessments.NewCounter(w.db),
			indicators.SourcePayments:    payments.NewPaidCounter(w.db),
		},
		now:        time.Now,
		unitImport: make(chan struct{}, 1),
		jobs:       newUnitJobs(),
	}
	s.teamSums = newTeamRecords(w.db, func() time.Time { return s.now() })
	return s
}

// indicatorRoutes lists the routes of the indicators part.
func (s *indicatorsPart) routes() []route {
	view, enter := accounts.ActIndicatorsView, accounts.ActIndicatorsEnter
	approve, unlock := accounts.ActIndicatorsApprove, accounts.ActIndicatorsUnlock
	units, defs := accounts.ActAdminUnits, accounts.ActAdminDefinitions
	return []route{
		// Public dashboards of approved figures, the progress page and the API.
		{pattern: "GET /{lang}/indicators", handler: s.indicatorsOverview, nav: "indicators.nav", expensive: customPeriod},
		{pattern: "GET /{lang}/indicators/progress", handler: s.indicatorsProgress, cache: s.keptPolicy(), expensive: customPeriod},
		{pattern: "GET /{lang}/indicators/{code}", handler: s.indicatorsShow, cache: s.keptPolicy(), samples: []string{"/{lang}/indicators/SMARTPHONE", "/{lang}/indicators/FIBRE_HH?unit=26506"}, expensive: customPeriod},
		{pattern: "GET /export/{lang}/indicators", handler: s.indicatorsExport, expensive: customPeriod},
		{pattern: "GET /{lang}/api", handler: s.apiDocsShow},
		{pattern: "GET /api/v1/units", handler: s.apiUnitsList, expensive: always},
		{pattern: "GET /api/v1/indicators", handler: s.apiIndicatorsList, expensive: always},
		{pattern: "GET /api/v1/values", handler: s.apiValuesList, expensive: always},

		// Officials: entry, review, import, and dashboards with submitted data.
		// The workspace officials land on; the reports' start page moved there.
		{pattern: "GET /{lang}/work", handler: s.workShow, access: view,
			alsoAs: []accounts.Role{accounts.RoleProvinceOfficial, accounts.RoleAdmin}},
		{pattern: "GET /{lang}/reports", handler: s.reportsHome, access: view, moved: true},
		{pattern: "GET /{lang}/reports/dashboard", handler: s.reportsDashboard, access: view},
		{pattern: "GET /export/{lang}/reports/dashboard", handler: s.reportsDashboardExport, access: view},
		{pattern: "GET /{lang}/reports/entry", handler: s.reportsEntryForm, access: enter},
		{pattern: "POST /{lang}/reports/entry", handler: s.reportsEntrySave, access: enter},
		{pattern: "GET /{lang}/reports/review", handler: s.reportsReviewList, access: view},
		{pattern: "GET /{lang}/reports/timeliness", handler: s.reportsTimeliness, access: view},
		{pattern: "GET /{lang}/reports/followups", handler: s.reportsFollowupsList, access: view},
		{pattern: "POST /{lang}/reports/followups/{id}", handler: s.reportsFollowupAnswer, access: enter},
		{pattern: "GET /{lang}/reports/review/approve-all", handler: s.reportsReviewAllForm, access: approve, samples: []string{"/{lang}/reports/review/approve-all?period=2025-06"}},
		{pattern: "POST /{lang}/reports/review/approve-all", handler: s.reportsReviewAllSave, access: approve},
		{pattern: "GET /{lang}/reports/review/{id}", handler: s.reportsReviewShow, access: view, samples: []string{"/{lang}/reports/review/1"}},
		{pattern: "POST /{lang}/reports/review/{id}", handler: s.reportsReviewSave, access: approve},
		{pattern: "POST /{lang}/reports/review/{id}/unlock", handler: s.reportsReviewUnlock, access: unlock},
		{pattern: "POST /{lang}/reports/review/{id}/followups", handler: s.reportsFollowupAsk, access: approve},
		{pattern: "GET /export/{lang}/reports/template", handler: s.reportsTemplateExport, access: enter},
		{pattern: "GET /{lang}/reports/import", handler: s.reportsImportForm, access: enter},
		{pattern: "POST /{lang}/reports/import", handler: s.reportsImportCheck, access: enter, upload: true},
		{pattern: "POST /{lang}/reports/import/commit", handler: s.reportsImportCommit, access: enter},

		// Admin: units and their history, definitions and targets.
		{pattern: "GET /{lang}/admin/units", handler: s.adminUnitsList, access: units},
		{pattern: "POST /{lang}/admin/units/import", handler: s.adminUnitsImport, access: units, upload: true},
		{pattern: "GET /{lang}/admin/units/jobs/{id}", handler: s.adminUnitsJob, access: units, samples: []string{"/{lang}/admin/units/jobs/1"}},
		{pattern: "GET /{lang}/admin/units/{id}", handler: s.adminUnitsShow, access: units, samples: []string{"/{lang}/admin/units/1"}},
		{pattern: "GET /{lang}/admin/definitions", handler: s.adminDefinitionsList, access: defs},
		{pattern: "POST /{lang}/admin/definitions/settings", handler: s.adminDefinitionsSettingsSave, access: defs},
		{pattern: "GET /{lang}/admin/definitions/elements/{id}", handler: s.adminDefinitionsElementForm, access: defs, samples: []string{"/{lang}/admin/definitions/elements/3"}},
		{pattern: "POST /{lang}/admin/definitions/elements/{id}", handler: s.adminDefinitionsElementSave, access: defs},
		{pattern: "GET /{lang}/admin/definitions/indicators/{code}", handler: s.adminDefinitionsIndicatorForm, access: defs, samples: []string{"/{lang}/admin/definitions/indicators/SMARTPHONE"}},
		{pattern: "POST /{lang}/admin/definitions/indicators/{code}", handler: s.adminDefinitionsIndicatorSave, access: defs},
		{pattern: "POST /{lang}/admin/definitions/targets", handler: s.adminDefinitionsTargetSave, access: defs},
		{pattern: "POST /{lang}/admin/definitions/targets/{id}/delete", handler: s.adminDefinitionsTargetDelete, access: defs},
		{pattern: "GET /{lang}/admin/rules", handler: s.adminRulesList, access: defs},
		{pattern: "POST /{lang}/admin/rules", handler: s.adminRulesAdd, access: defs},
		{pattern: "POST /{lang}/admin/rules/{id}/delete", handler: s.adminRulesDelete, access: defs},
	}
}

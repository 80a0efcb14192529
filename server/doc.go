// Package server turns HTTP requests into calls on the domain packages and
// their results into pages. It holds the route list (routes.go and one
// routes_<part>.go per part), middleware, one handler per file named
// after its URL (<section>_<noun>_<verb>.go: reports_entry_save.go), the
// embedded html/template files and the session setup.
//
// Each part's handlers are methods of a part struct (accountsPart,
// lessonsPart, assessmentsPart, paymentsPart, indicatorsPart) that embeds
// the shared frame (web: templates, sessions, access, configuration) and
// holds exactly its own dependencies; what one part needs of another is
// passed to its constructor in New. Handlers only translate: a state change
// is one call to a use case of a domain package, which validates, writes
// and audits in one transaction.
//
// It may import the domain packages (accounts, content, assessments,
// payments, indicators), i18n, database and static; none of them imports it.
package server

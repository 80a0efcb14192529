// Package server turns HTTP requests into calls on the domain packages and
// their results into pages. It holds the route list (routes.go), middleware,
// one handler per file, the embedded html/template files and the session
// setup.
//
// It may import the domain packages (accounts, content, assessments,
// payments, indicators), i18n, database and static; none of them imports it.
package server

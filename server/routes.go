package server

import (
	"net/http"
	"slices"
	"strings"

	"digiportal/accounts"
)

// route is one entry of the route list: a Go method pattern, its handler,
// and for GET pages with wildcards besides {lang} the example paths the
// browser checks visit.
type route struct {
	pattern string
	handler handlerFunc
	raw     http.Handler // for the few routes that are not pages (static, metrics)
	samples []string     // with {lang} left in: "/{lang}/lessons/dich-vu-cong"
	// access, when set, makes the route need a signed-in user whose role may
	// take the action (accounts.Access.Allow with no object); handlers check
	// the object itself with s.authorize.
	access accounts.Action
	// nav, when set, is the message ID of the route's main-navigation item.
	nav string
	// upload lets the route take bodies up to the upload limit instead of
	// the form limit: file imports need megabytes, forms never do.
	upload bool
	// expensive, when set, says which requests of the route are costly
	// (always, customPeriod): they share a few places portal-wide.
	expensive func(*http.Request) bool
	// private marks a route whose answers belong to one person though it
	// needs no sign-in; privateRoute knows the usual ones by their path.
	private bool
	// moved marks a GET page that only redirects to where it moved: the
	// browser checks, which want a page, skip it.
	moved bool
	// alsoAs lists roles besides the least privileged one that the browser
	// checks sign in as, for a page that differs by role.
	alsoAs []accounts.Role
	// cache, when set, keeps the route's anonymous answers rendered in
	// memory (pagecache.go).
	cache *cachePolicy
}

// routeList is every route of the portal, in one place.
func (s *Server) routeList() []route {
	var all []route
	for _, part := range [][]route{
		s.coreRoutes(),
		s.aboutRoutes(),
		s.acct.routes(),
		s.lessons.routes(),
		s.assessments.routes(),
		s.payments.routes(),
		s.indicators.routes(),
		s.indicators.teamsRoutes(),
		s.acct.teamAssistRoutes(),
		s.indicators.teamViewsRoutes(),
		s.indicators.teamClassRoutes(),
		s.indicators.helpRoutes(),
	} {
		all = append(all, part...)
	}
	return all
}

// coreRoutes are the routes of the frame: home, health, metrics, assets.
func (s *Server) coreRoutes() []route {
	return []route{
		{pattern: "GET /{$}", handler: s.rootRedirect},
		{pattern: "GET /livez", handler: s.livez},
		{pattern: "GET /readyz", handler: s.readyz},
		{pattern: "GET /metrics", handler: s.metricsShow},
		{pattern: "GET /static/{file}", raw: http.HandlerFunc(s.staticFile)},

		{pattern: "GET /{lang}/{$}", handler: s.home, cache: &cachePolicy{}},
		{pattern: "GET /{lang}", handler: s.langRoot},
		{pattern: "GET /{lang}/settings/text-size", handler: s.textSizeForm},
		{pattern: "POST /{lang}/settings/text-size", handler: s.textSizeSave},
	}
}

// staticFile serves an asset; a name that is none (an old hash after a
// release, a typing slip) gets the portal's 404 page in the visitor's
// language, like any other address that leads nowhere.
func (s *Server) staticFile(w http.ResponseWriter, r *http.Request) {
	if !s.assets.Serve(w, r) {
		s.renderError(w, r, errNotFound)
	}
}

// wrap adapts a route's handler, behind its access check when it has one.
func (s *Server) wrap(rt route) http.Handler {
	if rt.raw != nil {
		return rt.raw
	}
	h := rt.handler
	if rt.access != "" {
		h = s.guard(rt.access, rt.pattern, h)
	}
	out := s.noStore(privateRoute(rt), s.adapt(h))
	if rt.cache != nil && !privateRoute(rt) {
		out = s.keepPages(rt.cache, rt.pattern, out)
	}
	return out
}

// PageRoute is a GET page of the portal as the browser checks see it.
type PageRoute struct {
	Pattern string   // the route pattern, for messages
	Paths   []string // paths to visit, with {lang} still in them
	// Access, when set, is the action a signed-in visitor must be allowed;
	// the checks sign in as a role that may take it.
	Access accounts.Action
	// AlsoAs lists more roles to visit the page as.
	AlsoAs []accounts.Role
}

// Pages lists every GET route under a language prefix, with the paths that
// exercise it. Browser checks visit each in both languages, so a new page
// joins them by being added to the route list.
func (s *Server) Pages() []PageRoute {
	var out []PageRoute
	for _, rt := range s.routes {
		method, p, _ := strings.Cut(rt.pattern, " ")
		if method != http.MethodGet || !strings.HasPrefix(p, "/{lang}/") || rt.moved {
			continue
		}
		paths := rt.samples
		if len(paths) == 0 {
			paths = []string{strings.TrimSuffix(p, "{$}")}
		}
		out = append(out, PageRoute{Pattern: rt.pattern, Paths: paths, Access: rt.access, AlsoAs: rt.alsoAs})
	}
	return out
}

// Patterns lists every route pattern, for tests that must cover them all.
func (s *Server) Patterns() []string {
	out := make([]string, len(s.routes))
	for i, rt := range s.routes {
		out[i] = rt.pattern
	}
	return out
}

// routeMethods lists the methods of the route list once each, in order of
// first use, for the Allow header of a 405.
func routeMethods(routes []route) []string {
	var out []string
	for _, rt := range routes {
		m, _, _ := strings.Cut(rt.pattern, " ")
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// navItem is an entry of the main navigation.
type navItem struct {
	Path  string // after the language prefix, such as "/lessons"
	MsgID string
}

// navOf collects the navigation items that routes declare, in route order.
func navOf(routes []route) []navItem {
	var out []navItem
	for _, rt := range routes {
		if rt.nav == "" {
			continue
		}
		_, p, _ := strings.Cut(rt.pattern, " ")
		out = append(out, navItem{Path: strings.TrimSuffix(strings.TrimPrefix(p, "/{lang}"), "{$}"), MsgID: rt.nav})
	}
	return out
}

package server

// aboutRoutes are the pages about the portal that every page's footer
// links to; their words come from the site file (PORTAL_SITE_FILE).
func (s *Server) aboutRoutes() []route {
	return []route{
		{pattern: "GET /{lang}/privacy", handler: s.about("privacy"), cache: &cachePolicy{}},
		{pattern: "GET /{lang}/terms", handler: s.about("terms"), cache: &cachePolicy{}},
		{pattern: "GET /{lang}/accessibility", handler: s.about("accessibility"), cache: &cachePolicy{}},
		{pattern: "GET /{lang}/contact", handler: s.aboutContact, cache: &cachePolicy{}},
	}
}

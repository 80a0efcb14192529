package server

// indicatorsPart holds what the indicators part's handlers need.
type indicatorsPart struct{}

// initIndicators sets up the indicators part.
func (s *Server) initIndicators(d Deps) error {
	s.indicators = &indicatorsPart{}
	return nil
}

// indicatorRoutes lists the routes of the indicators part.
func (s *Server) indicatorRoutes() []route {
	return []route{}
}

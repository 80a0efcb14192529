package server

// assessmentsPart holds what the assessment part's handlers need.
type assessmentsPart struct{}

// initAssessments sets up the assessment part.
func (s *Server) initAssessments(d Deps) error {
	s.assessments = &assessmentsPart{}
	return nil
}

// assessmentRoutes lists the routes of the assessment part.
func (s *Server) assessmentRoutes() []route {
	return []route{}
}

package server

// lessonsPart holds what the lessons part's handlers need.
type lessonsPart struct{}

// initLessons sets up the lessons part.
func (s *Server) initLessons(d Deps) error {
	s.lessons = &lessonsPart{}
	return nil
}

// lessonRoutes lists the routes of the lessons part.
func (s *Server) lessonRoutes() []route {
	return []route{}
}

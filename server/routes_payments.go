package server

// paymentsPart holds what the payments part's handlers need.
type paymentsPart struct{}

// initPayments sets up the payments part.
func (s *Server) initPayments(d Deps) error {
	s.payments = &paymentsPart{}
	return nil
}

// paymentRoutes lists the routes of the payments part.
func (s *Server) paymentRoutes() []route {
	return []route{}
}

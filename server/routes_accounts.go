package server

// accountsPart holds what the accounts part's handlers need.
type accountsPart struct{}

// initAccounts sets up the accounts part.
func (s *Server) initAccounts(d Deps) error {
	s.acct = &accountsPart{}
	return nil
}

// accountRoutes lists the routes of the accounts part.
func (s *Server) accountRoutes() []route {
	return []route{}
}

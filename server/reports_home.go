package server

import (
	"net/http"
)

// reportsHome was the officials' start page; the workspace took its place
// (workShow), and old links and bookmarks are sent there.
func (s *indicatorsPart) reportsHome(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/work", http.StatusSeeOther)
	return nil
}

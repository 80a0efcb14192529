package server

import (
	"net/http"
	"strconv"

	"digiportal/indicators"
)

// adminDefinitionsTargetDelete removes a target.
func (s *indicatorsPart) adminDefinitionsTargetDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if err := indicators.DeleteTarget(r.Context(), s.db, s.actor(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/definitions?done=deleted", http.StatusSeeOther)
	return nil
}

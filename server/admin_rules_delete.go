package server

import (
	"errors"
	"net/http"
	"strconv"

	"digiportal/database"
	"digiportal/indicators"
)

// adminRulesDelete removes a rule an admin added; a built-in rule or an
// unknown one answers 404, as there is nothing of that kind to delete.
func (s *indicatorsPart) adminRulesDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	err = indicators.DeleteRule(r.Context(), s.db, s.actor(r), id)
	if errors.Is(err, database.ErrNotFound) || errors.Is(err, indicators.ErrRuleBuiltin) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/rules?done=deleted", http.StatusSeeOther)
	return nil
}

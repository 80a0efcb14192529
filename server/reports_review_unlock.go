package server

import (
	"net/http"

	"digiportal/accounts"
	"digiportal/indicators"
)

// reportsReviewUnlock reopens an approved report; only an admin may, with a
// written reason that the audit log keeps.
func (s *indicatorsPart) reportsReviewUnlock(w http.ResponseWriter, r *http.Request) error {
	return s.reviewAction(w, r, func(who accounts.Actor, id int64, reason string) (string, error) {
		_, err := indicators.Unlock(r.Context(), s.db, who, id, reason)
		return "unlocked", err
	}, accounts.ActIndicatorsUnlock)
}

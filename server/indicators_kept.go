package server

import (
	"net/http"
	"time"

	"digiportal/i18n"
	"digiportal/indicators"
)

// keptPolicy lets a public indicator page be kept rendered (pagecache.go)
// for one version of the data and one day: the figures, units and
// definitions it shows change only with indicators.DataVersion, and the
// months it covers and the targets it measures against follow the date.
// The overview is not kept: its table of the portal's own use changes
// with every lesson completed.
func (s *indicatorsPart) keptPolicy() *cachePolicy {
	return &cachePolicy{variant: func(r *http.Request) (string, error) {
		v, err := indicators.DataVersion(r.Context(), s.db)
		if err != nil {
			return "", err
		}
		return v + "\x00" + s.now().In(i18n.Location()).Format(time.DateOnly), nil
	}}
}

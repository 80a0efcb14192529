package server

import (
	"net/http"
	"strconv"
)

// lessonMedia serves an image from a lesson's folder. Its address changes
// only with a new release, so browsers may keep it for a day.
func (s *lessonsPart) lessonMedia(w http.ResponseWriter, r *http.Request) error {
	b, ctype, err := s.lib.Media(r.PathValue("slug"), r.PathValue("file"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "public, max-age=86400")
	_, err = w.Write(b)
	return err
}

package server

import (
	"net/http"

	"digiportal/content"
)

type pathView struct {
	Page
	PathItem     pathItem               // not Path, which is the page's own URL (Page.Path)
	SignedIn     bool                   // progress kept under the account: signed in and consenting
	Certificates []*content.Certificate // the learner's, for this path
	Form         certificateForm
}

// pathShow shows a learning path: its lessons in order with the learner's
// progress, the next lesson to take, and, once every lesson is passed, the
// form that issues the certificate.
func (s *lessonsPart) pathShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.buildPathView(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, "paths-show", v)
}

func (s *lessonsPart) buildPathView(w http.ResponseWriter, r *http.Request) (*pathView, error) {
	path, ok := s.lib.Path(r.PathValue("slug"))
	if !ok {
		return nil, errNotFound
	}
	p := s.page(w, r, "lessons.catalogue.title")
	p.Title = path.Name[p.Lang]
	id, err := s.learnerOf(r)
	if err != nil {
		return nil, err
	}
	done, err := s.completionsOf(r)
	if err != nil {
		return nil, err
	}
	keep, err := s.keepsProgress(r)
	if err != nil {
		return nil, err
	}
	v := &pathView{Page: p, PathItem: pathItemOf(s.lib, path, p.Lang, done), SignedIn: keep}
	if id != 0 {
		certs, err := content.CertificatesOf(r.Context(), s.db, id)
		if err != nil {
			return nil, err
		}
		for _, c := range certs {
			if c.PathSlug == path.Slug {
				v.Certificates = append(v.Certificates, c)
			}
		}
	}
	return v, nil
}

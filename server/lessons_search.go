package server

import (
	"net/http"
	"strings"
)

type lessonsSearchView struct {
	Page
	Query     string
	Searched  bool
	Results   []lessonItem
	Partial   bool
	OtherLang bool
}

// lessonsSearch finds lessons by words typed with or without accents.
func (s *lessonsPart) lessonsSearch(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "lessons.search.title")
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	v := lessonsSearchView{Page: p, Query: q}
	if q != "" {
		done, err := s.completionsOf(r)
		if err != nil {
			return err
		}
		res := s.lib.Search(p.Lang, q)
		v.Searched, v.Partial, v.OtherLang = true, res.Partial, res.OtherLang
		for _, h := range res.Hits {
			v.Results = append(v.Results, itemOf(h.Lesson, p.Lang, done))
		}
		v.Title = p.L.T("lessons.search.title_for", "Query", q)
	}
	return s.render(w, r, "lessons-search", &v)
}

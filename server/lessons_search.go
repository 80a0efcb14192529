package server

import (
	"net/http"
	"net/url"
	"strings"

	"digiportal/content"
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
	// Only the first content.MaxQueryBytes are searched, so only they are
	// shown back: a pasted page would otherwise come back several times.
	q := strings.TrimSpace(content.TrimQuery(r.URL.Query().Get("q")))
	v := lessonsSearchView{Page: p, Query: q}
	if q != "" {
		// The language links and the text-size link carry the query on:
		// the bounded one, not the address as typed.
		v.Path = "/lessons/search?q=" + url.QueryEscape(q)
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

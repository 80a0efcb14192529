package server

import "net/http"

type lessonsCatalogueView struct {
	Page
	Paths  []pathItem
	Topics []topicItem
	Done   int
	Total  int
}

// topicItem is a topic with its lessons.
type topicItem struct {
	ID, Name, Description string
	Lessons               []lessonItem
}

// lessonsCatalogue lists the learning paths, then every lesson by topic,
// each with the visitor's progress.
func (s *lessonsPart) lessonsCatalogue(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "lessons.catalogue.title")
	done, err := s.completionsOf(r)
	if err != nil {
		return err
	}
	lib := s.lib
	v := lessonsCatalogueView{Page: p, Total: len(lib.Lessons)}
	for _, path := range lib.Paths {
		v.Paths = append(v.Paths, pathItemOf(lib, path, p.Lang, done))
	}
	for _, t := range lib.Topics {
		ti := topicItem{ID: t.ID, Name: t.Name[p.Lang], Description: t.Description[p.Lang]}
		for _, l := range lib.LessonsOf(t.ID) {
			li := itemOf(l, p.Lang, done)
			if li.Done {
				v.Done++
			}
			ti.Lessons = append(ti.Lessons, li)
		}
		if len(ti.Lessons) > 0 {
			v.Topics = append(v.Topics, ti)
		}
	}
	return s.render(w, r, "lessons-catalogue", &v)
}

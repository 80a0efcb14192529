package server

import (
	"net/http"
	"net/url"

	"digiportal/findhelp"
	"digiportal/i18n"
	"digiportal/indicators"
)

// helpSearchView is the search page: the form, and after a search the
// communes and wards found (at most findhelp.MaxResults, best first).
type helpSearchView struct {
	Page
	Query    string // as typed, trimmed, shown back in the form
	Searched bool   // a query with words was searched
	Results  []helpPlace
	Total    int  // how many matched in all, for the heading
	More     bool // more matched than are shown: ask to refine
}

// helpPlace is a commune or ward as the help pages name it.
type helpPlace struct {
	Code, Name, Province string
}

func helpPlaceOf(p findhelp.Place, lang i18n.Lang) helpPlace {
	en := lang == i18n.EN
	return helpPlace{Code: p.Unit.Code, Name: p.Name(en), Province: p.ProvinceName(en)}
}

// helpSearch shows the search form and, with ?q=, the communes and wards
// valid today whose names match, folded (accents, case and đ ignored). A
// query too long or holding hidden characters is refused with a 400 and
// the form to try again.
func (h *helpPart) helpSearch(w http.ResponseWriter, r *http.Request) error {
	p := h.page(w, r, "help.title")
	raw := r.URL.Query().Get("q")
	v := &helpSearchView{Page: p}
	if raw == "" {
		return h.render(w, r, "help", v)
	}
	q, err := findhelp.ParseQuery(raw)
	if err != nil {
		v.Errors = []i18n.FieldError{{Field: "q", Message: helpMessage(p.L, err)}}
		return h.renderStatus(w, r, http.StatusBadRequest, "help", v)
	}
	v.Query = q.Text
	if q.Empty() {
		return h.render(w, r, "help", v)
	}
	// The language links carry the query on: the one searched, not the
	// address as typed.
	v.Path = "/help?q=" + url.QueryEscape(q.Text)
	v.Title = p.L.T("help.title_for", "Query", q.Text)
	res, err := h.places.Search(r.Context(), q, indicators.Today(h.now()))
	if err != nil {
		return err
	}
	v.Searched, v.Total, v.More = true, res.Total, res.More()
	for _, pl := range res.Places {
		v.Results = append(v.Results, helpPlaceOf(pl, p.Lang))
	}
	w.Header().Set("Cache-Control", helpSearchCache)
	return h.render(w, r, "help", v)
}

package server

import (
	"net/http"
	"strings"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/site"
)

// Cookie names. The language cookie only remembers a choice for "/"; the
// text-size cookie holds the large-text setting, which needs no account.
const (
	langCookie     = "lang"
	textSizeCookie = "text_size"
)

// Page is what the layout needs; every view struct embeds it.
type Page struct {
	L         *i18n.Localizer
	Lang      i18n.Lang
	Title     string // already translated
	Path      string // the URL after the language prefix, query included, for the switcher
	BaseURL   string
	Nonce     string
	LargeText bool
	Errors    []i18n.FieldError // non-empty puts "Lỗi: " before the title and shows the summary
	Nav       []navItem
	User      *accounts.User // the signed-in user, or nil
	Site      *site.Site     // who runs the portal, for the header, footer and documents
}

// SiteName is the portal's name in the page's language, with its province.
func (p Page) SiteName() string { return p.SiteNameIn(p.L) }

// SiteNameIn is the portal's name in the language of l, for documents that
// carry both languages.
func (p Page) SiteNameIn(l *i18n.Localizer) string {
	return l.T("site.portal", "Province", p.Site.Province(l.Lang))
}

// FieldData is what the "field" partial needs to draw one labelled input
// with its hint and error, the GOV.UK way.
type FieldData struct {
	Name, Label, Type, Value, Hint, Error, Autocomplete, InputMode string
	Required                                                       bool
}

// Field describes an input for the "field" partial. extra holds pairs of
// "hint" (a message ID), "autocomplete", "inputmode" and "required".
func (p Page) Field(name, labelID, typ, value string, extra ...string) FieldData {
	f := FieldData{Name: name, Label: p.L.T(labelID), Type: typ, Value: value, Error: p.ErrorFor(name)}
	for i := 0; i+1 < len(extra); i += 2 {
		switch extra[i] {
		case "hint":
			f.Hint = p.L.T(extra[i+1])
		case "autocomplete":
			f.Autocomplete = extra[i+1]
		case "inputmode":
			f.InputMode = extra[i+1]
		case "required":
			f.Required = extra[i+1] == "true"
		}
	}
	return f
}

// Current reports whether the navigation item at path is the page's section.
func (p Page) Current(path string) bool {
	cur, _, _ := strings.Cut(p.Path, "?")
	if path == "/" {
		return cur == "/"
	}
	return cur == path || strings.HasPrefix(cur, path+"/")
}

// Other returns the other language, for the switcher.
func (p Page) Other() i18n.Lang { return p.Lang.Other() }

// HasError reports whether field has a problem, for the field's styling.
func (p Page) HasError(field string) bool {
	for _, e := range p.Errors {
		if e.Field == field {
			return true
		}
	}
	return false
}

// ErrorFor returns the problem with field, or "".
func (p Page) ErrorFor(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// langOf returns the language of a request: its URL prefix when it has one,
// else the remembered or preferred language.
func (s *web) langOf(r *http.Request) (i18n.Lang, bool) {
	first, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if l, ok := i18n.Parse(first); ok {
		return l, true
	}
	return s.bundle.FromRequest(r, langCookie), false
}

// page builds the common part of a view for the request, with the title
// given as a message ID. It remembers the language in a cookie so that "/"
// sends the visitor back to it.
func (s *web) page(w http.ResponseWriter, r *http.Request, titleID string) Page {
	lang, prefixed := s.langOf(r)
	rest := r.URL.Path
	if prefixed {
		rest = strings.TrimPrefix(rest, "/"+string(lang))
	} else {
		rest = "/"
	}
	if rest == "" {
		rest = "/"
	}
	if r.URL.RawQuery != "" && r.Method == http.MethodGet {
		rest += "?" + r.URL.RawQuery
	}
	s.rememberLang(w, r)
	l := s.bundle.Localizer(lang)
	base := ""
	if s.cfg.BaseURL != nil {
		base = strings.TrimSuffix(s.cfg.BaseURL.String(), "/")
	}
	large := false
	if c, err := r.Cookie(textSizeCookie); err == nil && c.Value == "large" {
		large = true
	}
	return Page{
		L:         l,
		Lang:      lang,
		Title:     l.T(titleID),
		Path:      rest,
		BaseURL:   base,
		Nonce:     nonceFrom(r.Context()),
		LargeText: large,
		Nav:       s.nav,
		User:      s.currentUser(r),
		Site:      s.cfg.Site,
	}
}

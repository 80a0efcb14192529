package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"
)

// Lang is a language the portal is written in.
type Lang string

// The portal's languages. Vietnamese is the default and comes first.
const (
	VI Lang = "vi"
	EN Lang = "en"
)

// Langs returns the supported languages, default first.
func Langs() []Lang { return []Lang{VI, EN} }

// Parse returns the Lang for a URL prefix such as "vi" and whether it is one.
func Parse(s string) (Lang, bool) {
	switch Lang(s) {
	case VI, EN:
		return Lang(s), true
	}
	return "", false
}

// Tag is the BCP 47 tag of l.
func (l Lang) Tag() language.Tag {
	if l == EN {
		return language.English
	}
	return language.Vietnamese
}

// Other returns the other language, for the language switcher.
func (l Lang) Other() Lang {
	if l == EN {
		return VI
	}
	return EN
}

//go:embed locales/*.toml
var localeFiles embed.FS

// Bundle holds every message in both languages. It is built once at start-up
// and shared; Localizers made from it are per request.
type Bundle struct {
	msgs      *goi18n.Bundle
	matcher   language.Matcher
	validator *Validator
}

// NewBundle loads the embedded message files. A file that does not parse
// stops the start.
func NewBundle() (*Bundle, error) {
	b := goi18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(localeFiles, "locales/*.toml")
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	for _, name := range names {
		if _, err := b.LoadMessageFileFS(localeFiles, name); err != nil {
			return nil, fmt.Errorf("i18n: load %s: %w", path.Base(name), err)
		}
	}
	return &Bundle{
		msgs:      b,
		matcher:   language.NewMatcher([]language.Tag{language.Vietnamese, language.English}),
		validator: newValidator(),
	}, nil
}

// Match picks the language for an Accept-Language header, Vietnamese when
// nothing matches.
func (b *Bundle) Match(acceptLanguage string) Lang {
	return b.matchOr(acceptLanguage, VI)
}

func (b *Bundle) matchOr(acceptLanguage string, fallback Lang) Lang {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return fallback
	}
	_, idx, conf := b.matcher.Match(tags...)
	if conf == language.No {
		return fallback
	}
	return Langs()[idx]
}

// FromRequest picks the language for a request without a language prefix:
// the cookie first, then Accept-Language, else Vietnamese.
func (b *Bundle) FromRequest(r *http.Request, cookieName string) Lang {
	return b.FromRequestOr(r, cookieName, VI)
}

// FromRequestOr is FromRequest with another language when neither the
// cookie nor Accept-Language names one: the JSON API answers its errors in
// English unless the client asks for Vietnamese, as programs calling it
// rarely send either and their developers more often read English.
func (b *Bundle) FromRequestOr(r *http.Request, cookieName string, fallback Lang) Lang {
	if c, err := r.Cookie(cookieName); err == nil {
		if l, ok := Parse(c.Value); ok {
			return l
		}
	}
	return b.matchOr(r.Header.Get("Accept-Language"), fallback)
}

// Localizer returns a translator and formatter for one language. It is cheap
// and meant to be made per request.
func (b *Bundle) Localizer(l Lang) *Localizer {
	return newLocalizer(b, l)
}

// messageFiles lists the embedded message files, for the completeness test.
func messageFiles() ([]string, error) {
	names, err := fs.Glob(localeFiles, "locales/*.toml")
	if err != nil {
		return nil, err
	}
	for i := range names {
		names[i] = strings.TrimPrefix(names[i], "locales/")
	}
	return names, nil
}

package server

import (
	"net/http"
	"net/url"
	"strings"
)

type textSizeView struct {
	Page
	Return string
}

// textSizeForm offers normal or large text; it works without JavaScript
// and without an account, by a cookie.
func (s *web) textSizeForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "settings.textsize.title")
	return s.render(w, r, "textsize", &textSizeView{Page: p, Return: safeReturn(r.URL.Query().Get("return"), r.PathValue("lang"), "")})
}

// textSizeSave stores the choice and goes back to the page the visitor came from.
func (s *web) textSizeSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	size := r.PostForm.Get("size")
	if size != "large" && size != "normal" {
		return errBadRequest
	}
	http.SetCookie(w, &http.Cookie{
		Name: textSizeCookie, Value: size, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, safeReturn(r.PostForm.Get("return"), r.PathValue("lang"), ""), http.StatusSeeOther)
	return nil
}

// safeReturn keeps a return address on this site: a path under the language
// prefix, never another host. Anything else becomes fallback, or the home
// page when fallback is empty.
func safeReturn(ret, lang, fallback string) string {
	home := "/" + lang + "/"
	if fallback == "" {
		fallback = home
	}
	u, err := url.Parse(ret)
	if ret == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, home) || strings.HasPrefix(ret, "//") || strings.Contains(ret, "\\") {
		return fallback
	}
	return u.RequestURI()
}

package server

import (
	"net/http"

	"digiportal/accounts"
	"digiportal/i18n"
)

type assistCodeView struct {
	Page
	Code string
}

// teamAssistCode is where a resident types, on their own phone, the code a
// helper gave them: a form sent by GET (it changes nothing) that leads to
// the one-time set-password page the code opens. Whether the code works
// is for that page to say, as for any link.
func (s *accountsPart) teamAssistCode(w http.ResponseWriter, r *http.Request) error {
	v := &assistCodeView{Page: s.page(w, r, "assist.enter.title")}
	q := r.URL.Query()
	if !q.Has("code") {
		return s.render(w, r, "teams-assist-code", v)
	}
	v.Code = q.Get("code")
	code := accounts.NormalizeCode(v.Code)
	switch {
	case code == "":
		v.Errors = []i18n.FieldError{{Field: "code", Message: v.L.T("assist.enter.missing")}}
	case !codeShaped(code):
		v.Errors = []i18n.FieldError{{Field: "code", Message: v.L.T("assist.enter.bad")}}
	default:
		http.Redirect(w, r, "/"+string(v.Lang)+"/set-password/"+code, http.StatusSeeOther)
		return nil
	}
	return s.renderStatus(w, r, http.StatusBadRequest, "teams-assist-code", v)
}

// codeShaped reports whether s could be a code a helper gave: its length,
// in the letters and digits of the portal's tokens.
func codeShaped(s string) bool {
	if len(s) != accounts.AssistCodeLen {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

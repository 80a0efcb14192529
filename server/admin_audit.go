package server

import (
	"net/http"
	"strconv"
	"time"

	"digiportal/accounts"
	"digiportal/i18n"
)

type adminAuditView struct {
	Page
	Entries []auditRow
	Action  string
	Object  string
	From    string
	To      string
	Next    int
}

const auditPerPage = 50

// adminAudit lists the audit log, newest first, with filters by action (or
// action prefix such as "account."), object and dates.
func (s *accountsPart) adminAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	if page < 1 || page > 10000 {
		page = 1
	}
	v := &adminAuditView{Page: s.page(w, r, "accounts.admin.audit.title"), Action: clip(q.Get("action"), 60), Object: clip(q.Get("object"), 60), From: clip(q.Get("from"), 40), To: clip(q.Get("to"), 40)}
	f := accounts.AuditFilter{Action: v.Action, Object: v.Object, Limit: auditPerPage + 1, Offset: (page - 1) * auditPerPage}
	// A date the filter cannot read is said at its field, and the list is
	// not filtered by it: an unread bound must not look like an applied one.
	zone := v.L.In(time.Now()).Location()
	for _, b := range []struct {
		field, value string
		set          func(time.Time)
	}{
		{"from", v.From, func(d time.Time) { f.From = d }},
		{"to", v.To, func(d time.Time) { f.To = d.AddDate(0, 0, 1) }},
	} {
		if b.value == "" {
			continue
		}
		d, err := time.ParseInLocation("2006-01-02", b.value, zone)
		if err != nil || len(b.value) > 10 {
			v.Errors = append(v.Errors, i18n.FieldError{Field: b.field, Message: v.L.T("accounts.admin.audit.error.date")})
			continue
		}
		b.set(d)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		v.Errors = append(v.Errors, i18n.FieldError{Field: "to", Message: v.L.T("accounts.admin.audit.error.order")})
		f.From, f.To = time.Time{}, time.Time{}
	}
	entries, err := accounts.ListAudit(r.Context(), s.db, f)
	if err != nil {
		return err
	}
	if len(entries) > auditPerPage {
		entries = entries[:auditPerPage]
		v.Next = page + 1
	}
	if v.Entries, err = s.auditRows(r.Context(), v.L, entries); err != nil {
		return err
	}
	if len(v.Errors) > 0 {
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-audit", v)
	}
	return s.render(w, r, "admin-audit", v)
}

// clip cuts s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

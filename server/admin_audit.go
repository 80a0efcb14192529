package server

import (
	"net/http"
	"strconv"
	"time"

	"digiportal/accounts"
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
	v := &adminAuditView{Page: s.page(w, r, "accounts.admin.audit.title"), Action: clip(q.Get("action"), 60), Object: clip(q.Get("object"), 60), From: q.Get("from"), To: q.Get("to")}
	f := accounts.AuditFilter{Action: v.Action, Object: v.Object, Limit: auditPerPage + 1, Offset: (page - 1) * auditPerPage}
	if d, err := time.ParseInLocation("2006-01-02", v.From, v.L.In(time.Now()).Location()); err == nil {
		f.From = d
	} else {
		v.From = ""
	}
	if d, err := time.ParseInLocation("2006-01-02", v.To, v.L.In(time.Now()).Location()); err == nil {
		f.To = d.AddDate(0, 0, 1)
	} else {
		v.To = ""
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

package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// getPaths is every GET route of the list as paths to visit in each
// language: a route's samples, or its pattern with each wildcard filled.
func getPaths(s *Server) []string {
	wild := regexp.MustCompile(`\{[a-z]+\}`)
	var out []string
	for _, rt := range s.routes {
		method, p, _ := strings.Cut(rt.pattern, " ")
		if method != http.MethodGet || strings.HasPrefix(p, "/static/") {
			continue
		}
		paths := rt.samples
		if len(paths) == 0 {
			paths = []string{strings.TrimSuffix(p, "{$}")}
		}
		for _, lang := range i18n.Langs() {
			for _, path := range paths {
				path = strings.ReplaceAll(path, "{lang}", string(lang))
				out = append(out, wild.ReplaceAllString(path, "x1"))
			}
		}
	}
	return out
}

// TestSignedInPagesNotStored walks every GET route as a signed-in user of
// each role and as a visitor, and checks that every answer to a signed-in
// user, whatever its status, and every private route's answer to anyone,
// says Cache-Control: no-store.
func TestSignedInPagesNotStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		seedDemo(t, db)
		ts := newTestServer(t, db)
		units := demoUnits(t, db)
		paths := getPaths(ts.srv)
		if len(paths) < 40 {
			t.Fatalf("only %d paths: the route list lost its pages", len(paths))
		}
		for _, role := range []accounts.Role{accounts.RoleResident, accounts.RoleCommuneOfficial, accounts.RoleAdmin} {
			v := ts.newVisitor()
			v.signInAs(role, units[role])
			for _, p := range paths {
				if path, _, _ := strings.Cut(p, "?"); pathIn(path, sessionlessPaths) {
					// Served without the session (sessions_where.go): the
					// same answer for everyone, whoever holds a cookie.
					continue
				}
				if got := v.get(p).Header.Get("Cache-Control"); got != "no-store" {
					t.Errorf("%s, signed in as %s: Cache-Control %q, want no-store", p, role, got)
				}
			}
		}
		anon := ts.newVisitor()
		for _, rt := range ts.srv.routes {
			method, _, _ := strings.Cut(rt.pattern, " ")
			if method != http.MethodGet || !privateRoute(rt) {
				continue
			}
			for _, p := range getPaths(&Server{routes: []route{rt}}) {
				if got := anon.get(p).Header.Get("Cache-Control"); got != "no-store" {
					t.Errorf("%s, signed out: Cache-Control %q, want no-store", p, got)
				}
			}
		}
		for _, must := range []string{"/vi/set-password/x", "/vi/payments/x/receipt", "/export/vi/indicators", "/vi/account"} {
			if got := anon.get(must).Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("%s, signed out: Cache-Control %q, want no-store", must, got)
			}
		}
	})
}

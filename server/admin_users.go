package server

import (
	"net/http"
	"strconv"

	"digiportal/accounts"
)

type adminUsersView struct {
	Page
	Users   []accounts.User
	Query   string
	Role    string
	Roles   []accounts.Role
	Page2   int  // the next page number, 0 when there is none
	Deleted bool // an account was just deleted
}

const adminUsersPerPage = 50

// adminUsersList lists users with a search by e-mail or name and by role.
func (s *accountsPart) adminUsersList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	if page < 1 || page > 10000 {
		page = 1
	}
	role := accounts.Role(q.Get("role"))
	if !role.Valid() {
		role = ""
	}
	query := q.Get("q")
	if len(query) > 100 {
		query = query[:100]
	}
	users, err := accounts.ListUsers(r.Context(), s.db, accounts.UserFilter{
		Query: query, Role: role, Limit: adminUsersPerPage + 1, Offset: (page - 1) * adminUsersPerPage,
	})
	if err != nil {
		return err
	}
	v := &adminUsersView{Page: s.page(w, r, "accounts.admin.users.title"), Query: query, Role: string(role), Roles: accounts.Roles(),
		Deleted: r.URL.Query().Get("deleted") == "1"}
	if len(users) > adminUsersPerPage {
		users = users[:adminUsersPerPage]
		v.Page2 = page + 1
	}
	v.Users = users
	return s.render(w, r, "admin-users", v)
}

package server

import "digiportal/accounts"

// teamViewsRoutes lists the officials' report of what the community
// digital technology teams' help logs add up to (issue 21, item 4): by
// hamlet and month, with the places to send help next, and its CSV.
func (s *indicatorsPart) teamViewsRoutes() []route {
	return []route{
		{pattern: "GET /{lang}/reports/teams", handler: s.teamsReport, access: accounts.ActTeamsReport,
			alsoAs: []accounts.Role{accounts.RoleProvinceOfficial}},
	}
}

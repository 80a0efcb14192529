package server

import "digiportal/accounts"

// teamAssistRoutes lists the routes with which a member of a community
// digital technology team helps a resident into their account in person
// (issue 21, item 5), and the public page where the resident types the
// code on their own phone. They belong to the accounts part, whose
// one-time links they give.
func (s *accountsPart) teamAssistRoutes() []route {
	assist := accounts.ActTeamsAssist
	return []route{
		{pattern: "GET /{lang}/teams/assist", handler: s.teamAssistShow, access: assist},
		{pattern: "POST /{lang}/teams/assist/account", handler: s.teamAssistAccount, access: assist},
		{pattern: "POST /{lang}/teams/assist/reset", handler: s.teamAssistReset, access: assist},
		{pattern: "GET /{lang}/set-password", handler: s.teamAssistCode},
	}
}

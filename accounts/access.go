package accounts

import (
	"context"
	"errors"
	"fmt"
)

// Role is what a user is on the portal.
type Role string

// The roles. Officials carry a unit scope; the others do not.
const (
	RoleResident         Role = "resident"
	RoleBusiness         Role = "business"
	RoleCommuneOfficial  Role = "commune_official"
	RoleProvinceOfficial Role = "province_official"
	RoleAdmin            Role = "admin"
	// RoleHelper is a member of a commune's community digital technology
	// team: an account in the commune's unit, placed in one team.
	RoleHelper Role = "helper"
)

// Roles lists every role, least privileged first.
func Roles() []Role {
	return []Role{RoleResident, RoleBusiness, RoleHelper, RoleCommuneOfficial, RoleProvinceOfficial, RoleAdmin}
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles() {
		if r == x {
			return true
		}
	}
	return false
}

// Official reports whether the role works inside a unit scope.
func (r Role) Official() bool { return r == RoleCommuneOfficial || r == RoleProvinceOfficial }

// Scoped reports whether the role carries a unit: officials work inside
// its subtree, a helper in the commune of their team.
func (r Role) Scoped() bool { return r.Official() || r == RoleHelper }

// Privileged reports whether the role may be offered (or made to use) a
// second factor and is created only by an admin.
func (r Role) Privileged() bool { return r.Official() || r == RoleAdmin }

// Helps reports whether r is a member of a community digital technology
// team, whose own pages start at the help log.
func (r Role) Helps() bool { return r == RoleHelper }

// Action is something a user may try to do to an object.
type Action string

// The actions protected routes ask about. A part adds its own here so that
// the whole access policy stays in one table.
const (
	ActAccountSelf       Action = "account.self"            // own profile, data export, 2FA
	ActAccountDelete     Action = "account.delete"          // delete one's own account (officials are removed by an admin)
	ActAdminUsers        Action = "admin.users"             // list, create, disable users; change roles
	ActAdminAudit        Action = "admin.audit"             // read the audit log
	ActAdminSettings     Action = "admin.settings"          // portal-wide settings such as mandatory 2FA
	ActAdminUnits        Action = "admin.units"             // import units and successor mappings
	ActAdminDefinitions  Action = "admin.definitions"       // data elements, indicators, targets
	ActIndicatorsEnter   Action = "indicators.enter"        // enter and submit values for a unit
	ActIndicatorsApprove Action = "indicators.approve"      // approve or return a unit's values
	ActIndicatorsUnlock  Action = "indicators.unlock"       // unlock approved values, with a reason
	ActIndicatorsView    Action = "indicators.view"         // officials' dashboards, submitted data included
	ActPaymentsList      Action = "payments.list"           // the practice payments and reconciliation
	ActPaymentsRefund    Action = "payments.refund"         // refund a practice payment
	ActAssessmentsStats  Action = "assessments.stats"       // aggregate results of self-assessments
	ActLessonsStats      Action = "lessons.stats"           // lesson usage counts
	ActAssistedReset     Action = "accounts.assisted_reset" // give a resident who came in person a reset link
	ActTeamsManage       Action = "teams.manage"            // a commune's teams and their members
	ActTeamsLog          Action = "teams.log"               // a helper's log of visits and help-desk sessions
	ActTeamsAssist       Action = "teams.assist"            // a helper starts a resident's account or gives a reset link in person
	ActTeamsReport       Action = "teams.report"            // what the teams' help logs add up to, by hamlet and month
	ActTeamsClasses      Action = "teams.classes"           // a team's classes: a helper's own team's, an official's commune's
)

// policy says which roles may take each action. Scope (the object's unit
// inside the user's unit subtree) is checked on top for officials.
var policy = map[Action][]Role{
	ActAccountSelf:       {RoleResident, RoleBusiness, RoleCommuneOfficial, RoleProvinceOfficial, RoleAdmin, RoleHelper},
	ActAccountDelete:     {RoleResident, RoleBusiness},
	ActAdminUsers:        {RoleAdmin},
	ActAdminAudit:        {RoleAdmin},
	ActAdminSettings:     {RoleAdmin},
	ActAdminUnits:        {RoleAdmin},
	ActAdminDefinitions:  {RoleAdmin},
	ActIndicatorsEnter:   {RoleCommuneOfficial},
	ActIndicatorsApprove: {RoleProvinceOfficial},
	ActIndicatorsUnlock:  {RoleAdmin},
	ActIndicatorsView:    {RoleCommuneOfficial, RoleProvinceOfficial, RoleAdmin},
	ActPaymentsList:      {RoleProvinceOfficial, RoleAdmin},
	ActPaymentsRefund:    {RoleProvinceOfficial, RoleAdmin},
	ActAssessmentsStats:  {RoleProvinceOfficial, RoleAdmin},
	ActLessonsStats:      {RoleCommuneOfficial, RoleProvinceOfficial, RoleAdmin},
	ActAssistedReset:     {RoleCommuneOfficial},
	ActTeamsManage:       {RoleCommuneOfficial},
	ActTeamsLog:          {RoleHelper},
	ActTeamsAssist:       {RoleHelper},
	ActTeamsReport:       {RoleCommuneOfficial, RoleProvinceOfficial},
	ActTeamsClasses:      {RoleHelper, RoleCommuneOfficial},
}

// Actions lists every action of the policy, for the access-matrix test.
func Actions() []Action {
	out := make([]Action, 0, len(policy))
	for a := range policy {
		out = append(out, a)
	}
	return out
}

// Errors of the access decision.
var (
	// ErrForbidden: the user may not do this. Routes answer 403 or, for an
	// object outside the user's scope, 404 so its existence is not revealed.
	ErrForbidden = errors.New("forbidden")
	// ErrOutOfScope: the object belongs to a unit outside the user's scope.
	ErrOutOfScope = fmt.Errorf("%w: outside the unit scope", ErrForbidden)
	// ErrSignInRequired: nobody is signed in.
	ErrSignInRequired = errors.New("sign-in required")
)

// Object is what an action is done to, as far as access is concerned: the
// organisation unit it belongs to (empty when it belongs to none, such as a
// portal-wide setting) and its owner (zero when none).
type Object struct {
	Unit string
	// UnitVersion, when set, is the version of a unit the object belongs
	// to (a report of a commune since merged away), judged by where that
	// version's figures land today rather than by its code: codes are
	// reused, and a reused code grants nothing.
	UnitVersion int64
	OwnerID     int64
}

// UnitScope answers whether a unit lies inside the subtree of another, as
// of today. The indicators part implements it over its unit table.
type UnitScope interface {
	Within(ctx context.Context, unit, scope string) (bool, error)
	// VersionWithin answers the same for a unit version: whether scope
	// holds, today, a unit the version's figures land on.
	VersionWithin(ctx context.Context, version int64, scope string) (bool, error)
}

// Access makes the one access decision of the portal.
type Access struct {
	units UnitScope
}

// NewAccess returns the access decision over a unit hierarchy.
func NewAccess(units UnitScope) *Access { return &Access{units: units} }

// Allow decides whether u may take act on obj: the role must be allowed the
// action, an official's object must lie inside the official's unit subtree,
// and an owned object must be the user's own (admins excepted). It returns
// nil, ErrSignInRequired, ErrForbidden or ErrOutOfScope.
func (a *Access) Allow(ctx context.Context, u *User, act Action, obj Object) error {
	if u == nil {
		return ErrSignInRequired
	}
	if u.Disabled {
		return ErrForbidden
	}
	roles, ok := policy[act]
	if !ok {
		return fmt.Errorf("%w: unknown action %q", ErrForbidden, act)
	}
	allowed := false
	for _, r := range roles {
		if r == u.Role {
			allowed = true
			break
		}
	}
	if !allowed {
		return ErrForbidden
	}
	if obj.OwnerID != 0 && obj.OwnerID != u.ID && u.Role != RoleAdmin {
		return ErrOutOfScope
	}
	if u.Role.Scoped() && (obj.Unit != "" || obj.UnitVersion != 0) {
		if u.UnitCode == "" {
			return ErrOutOfScope
		}
		var in bool
		var err error
		if obj.UnitVersion != 0 {
			in, err = a.units.VersionWithin(ctx, obj.UnitVersion, u.UnitCode)
		} else {
			in, err = a.units.Within(ctx, obj.Unit, u.UnitCode)
		}
		if err != nil {
			return fmt.Errorf("Access.Allow: %w", err)
		}
		if !in {
			return ErrOutOfScope
		}
	}
	return nil
}

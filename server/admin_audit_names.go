package server

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
	"digiportal/indicators"
)

// auditRow is a line of the audit log as a person reads it: the action in
// words, who by name and what by name, with the stored code beside.
type auditRow struct {
	accounts.AuditEntry
	Who, What, Object string
}

// auditNames turns audit lines into rows with names, looking each user,
// unit and element up once.
type auditNames struct {
	ctx   context.Context
	s     *accountsPart
	l     *i18n.Localizer
	users map[int64]string
	units map[string]string
	elems map[string]string
}

// auditActionID is the message that words an audit action code.
func auditActionID(code string) string { return "audit.action." + code }

// rows words entries for the reader of l.
func (s *accountsPart) auditRows(ctx context.Context, l *i18n.Localizer, entries []accounts.AuditEntry) ([]auditRow, error) {
	n := &auditNames{ctx: ctx, s: s, l: l, users: map[int64]string{}, units: map[string]string{}}
	out := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		r := auditRow{AuditEntry: e, What: e.Action, Who: e.ActorEmail}
		if id := auditActionID(e.Action); l.T(id) != id {
			r.What = l.T(id)
		}
		if e.ActorID != 0 {
			name, err := n.user(e.ActorID)
			if err != nil {
				return nil, err
			}
			if name != "" {
				r.Who = name
			}
		}
		if e.Action == "indicators.status" {
			// A report's states in words, as the review pages name them.
			for _, st := range []*string{&r.Old, &r.New} {
				if *st != "" {
					*st = l.T(statusMsg(indicators.Status(*st)))
				}
			}
		}
		if e.Action == accounts.AuditRoleChanged || e.Action == accounts.AuditUserCreated {
			// "role unit": the role in words, the unit by its code.
			for _, v := range []*string{&r.Old, &r.New} {
				role, unit, _ := strings.Cut(*v, " ")
				if accounts.Role(role).Valid() {
					*v = strings.TrimSpace(l.T("accounts.role."+role) + " " + unit)
				}
			}
		}
		obj, err := n.object(e.ObjectType, e.ObjectID)
		if err != nil {
			return nil, err
		}
		r.Object = obj
		out = append(out, r)
	}
	return out, nil
}

// user names a user: their name and address, or "" for one since deleted.
func (n *auditNames) user(id int64) (string, error) {
	if name, ok := n.users[id]; ok {
		return name, nil
	}
	u, err := accounts.UserByID(n.ctx, n.s.db, id)
	if errors.Is(err, database.ErrNotFound) {
		n.users[id] = ""
		return "", nil
	}
	if err != nil {
		return "", err
	}
	name := u.Login()
	if u.Name != "" {
		name = u.Name + " (" + u.Login() + ")"
	}
	n.users[id] = name
	return name, nil
}

// object names what an entry is about: a user by name, a report by its
// unit's name and month, a value by those and its element; anything else
// by its kind in words and its code.
func (n *auditNames) object(typ, id string) (string, error) {
	switch typ {
	case "user":
		if uid, err := strconv.ParseInt(id, 10, 64); err == nil {
			name, err := n.user(uid)
			if err != nil || name != "" {
				return name, err
			}
			return n.l.T("audit.object.user_deleted", "ID", id), nil
		}
		return id, nil // a sign-in refused names the address typed
	case "indicator_report", "indicator_value":
		parts := strings.Split(id, "/")
		if len(parts) < 2 {
			break
		}
		p, err := indicators.ParsePeriod(parts[1])
		if err != nil {
			break
		}
		unit, err := n.unit(parts[0], p)
		if err != nil {
			return "", err
		}
		if len(parts) == 3 {
			el, err := n.element(parts[2])
			if err != nil {
				return "", err
			}
			return n.l.T("audit.object.value", "Unit", unit, "Month", indPeriodLabel(n.l, p), "Element", el), nil
		}
		return n.l.T("audit.object.report", "Unit", unit, "Month", indPeriodLabel(n.l, p)), nil
	case "org_units":
		// "units/2025-07-01" or "mapping/2025-07-01": which file, of which day.
		kind, day, ok := strings.Cut(id, "/")
		if msg := "audit.object.org_units." + kind; ok && n.l.T(msg) != msg {
			return n.l.T(msg, "Day", indDayLabel(n.l, day)), nil
		}
	}
	msg := "audit.object." + typ
	if n.l.T(msg, "ID", id) == msg {
		return strings.TrimSpace(typ + " " + id), nil
	}
	return n.l.T(msg, "ID", id), nil
}

// unit names the unit a code named in month p (codes are reused across
// the reorganisation, so the month decides which unit it was).
func (n *auditNames) unit(code string, p indicators.Period) (string, error) {
	key := code + "@" + p.String()
	if name, ok := n.units[key]; ok {
		return name, nil
	}
	u, err := indicators.UnitByCode(n.ctx, n.s.db, code, p.Day())
	name := code
	switch {
	case err == nil:
		name = u.DisplayName(n.l.Lang == i18n.EN) + " (" + code + ")"
	case !errors.Is(err, database.ErrNotFound):
		return "", err
	}
	n.units[key] = name
	return name, nil
}

// element names a data element by its code.
func (n *auditNames) element(code string) (string, error) {
	if n.elems == nil {
		els, err := indicators.Elements(n.ctx, n.s.db)
		if err != nil {
			return "", err
		}
		n.elems = make(map[string]string, len(els))
		for _, e := range els {
			n.elems[e.Code] = e.Name(n.l.Lang == i18n.EN)
		}
	}
	if name, ok := n.elems[code]; ok {
		return name, nil
	}
	return code, nil
}

// Package teams holds the community digital technology teams of a commune
// (one per hamlet or residential group) and their members, helpers with a
// portal account, with the rules and storage of both. It knows nothing of
// HTTP; it imports accounts (Actor, the audit log, the helper's account),
// database, and i18n for the portal's one time zone.
package teams

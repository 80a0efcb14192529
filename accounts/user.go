package accounts

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"

	"digiportal/database"
)

// User is a person with an account. Officials carry the code of the unit
// whose subtree they work in.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID           int64     `bun:"id,pk,autoincrement"`
	Email        string    `bun:"email,notnull"`    // empty for a resident with a username
	Username     string    `bun:"username,notnull"` // empty for an account with an address
	Name         string    `bun:"name,notnull"`
	Role         Role      `bun:"role,notnull"`
	UnitCode     string    `bun:"unit_code,notnull"`
	PasswordHash string    `bun:"password_hash,notnull" json:"-"`
	Disabled     bool      `bun:"disabled,notnull"`
	TOTPSecret   string    `bun:"totp_secret,notnull" json:"-"`
	TOTPEnabled  bool      `bun:"totp_enabled,notnull"`
	TOTPLastStep int64     `bun:"totp_last_step,notnull" json:"-"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
	// SessionsValidAfter ends every session that began before it: it moves
	// when the password changes or the user is disabled.
	SessionsValidAfter time.Time `bun:"sessions_valid_after,notnull"`
}

// Errors of the user store.
var (
	ErrEmailTaken   = errors.New("e-mail already registered")
	ErrInvalidEmail = errors.New("invalid e-mail address")
	ErrInvalidRole  = errors.New("invalid role")
	ErrUnitRequired = errors.New("officials need a unit")
)

// NormalizeEmail lowercases and trims an address and checks its form. An
// address has one spelling: accented letters are composed (NFC), as a
// Vietnamese keyboard may send "lân" either way, and characters that look
// like others or like nothing (full-width letters, zero-width spaces,
// controls) are refused, so that two accounts cannot have addresses that
// read the same, and a throttle count cannot be split between spellings.
func NormalizeEmail(s string) (string, error) {
	s = norm.NFC.String(strings.ToLower(strings.TrimSpace(s)))
	if len(s) > 254 || norm.NFKC.String(s) != s {
		return "", ErrInvalidEmail
	}
	for _, r := range s {
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) {
			return "", ErrInvalidEmail
		}
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s, "@") {
		return "", ErrInvalidEmail
	}
	return s, nil
}

// NewUser describes an account to create.
type NewUser struct {
	Email        string
	Name         string
	Role         Role
	UnitCode     string
	PasswordHash string // empty: the user sets it through a one-time link
	// Username, for a resident without e-mail, stands instead of Email.
	Username string
}

// CreateUser stores a new user. Officials must have a unit; others must not.
func CreateUser(ctx context.Context, db bun.IDB, n NewUser) (*User, error) {
	if n.Username != "" {
		return createUsernameUser(ctx, db, n)
	}
	email, err := NormalizeEmail(n.Email)
	if err != nil {
		return nil, err
	}
	if !n.Role.Valid() {
		return nil, ErrInvalidRole
	}
	if n.Role.Scoped() && n.UnitCode == "" {
		return nil, ErrUnitRequired
	}
	if !n.Role.Scoped() {
		n.UnitCode = ""
	}
	now := time.Now().UTC()
	u := &User{
		Email: email, Name: strings.TrimSpace(n.Name), Role: n.Role, UnitCode: n.UnitCode,
		PasswordHash: n.PasswordHash, CreatedAt: now, SessionsValidAfter: now.Add(-time.Second),
	}
	exists, err := db.NewSelect().Model((*User)(nil)).Where("email = ?", email).Exists(ctx)
	if err != nil {
		return nil, fmt.Errorf("accounts.CreateUser: %w", err)
	}
	if exists {
		return nil, ErrEmailTaken
	}
	if _, err := db.NewInsert().Model(u).Returning("id").Exec(ctx); err != nil {
		return nil, fmt.Errorf("accounts.CreateUser: %w", err)
	}
	return u, nil
}

// UserByID returns a user or database.ErrNotFound.
func UserByID(ctx context.Context, db bun.IDB, id int64) (*User, error) {
	u := new(User)
	if err := db.NewSelect().Model(u).Where("id = ?", id).Scan(ctx); err != nil {
		if database.IsNoRows(err) {
			return nil, fmt.Errorf("accounts.UserByID: %w", database.ErrNotFound)
		}
		return nil, fmt.Errorf("accounts.UserByID: %w", err)
	}
	return u, nil
}

// throttleLogin is the spelling of a typed login that throttle counts are
// kept under: the address's one spelling when it is one, so that a
// decomposed or upper-case spelling counts against the same account.
func throttleLogin(login string) string {
	if email, err := NormalizeEmail(login); err == nil {
		return email
	}
	return strings.ToLower(strings.TrimSpace(login))
}

// UserByEmail returns a user by normalized e-mail or database.ErrNotFound.
func UserByEmail(ctx context.Context, db bun.IDB, email string) (*User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, fmt.Errorf("accounts.UserByEmail: %w", database.ErrNotFound)
	}
	u := new(User)
	if err := db.NewSelect().Model(u).Where("email = ?", email).Scan(ctx); err != nil {
		if database.IsNoRows(err) {
			return nil, fmt.Errorf("accounts.UserByEmail: %w", database.ErrNotFound)
		}
		return nil, fmt.Errorf("accounts.UserByEmail: %w", err)
	}
	return u, nil
}

// UserFilter narrows ListUsers.
type UserFilter struct {
	Query  string // part of the e-mail or name
	Role   Role
	Limit  int
	Offset int
}

// ListUsers returns users by e-mail, at most f.Limit (100 when unset).
func ListUsers(ctx context.Context, db bun.IDB, f UserFilter) ([]User, error) {
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 100
	}
	var users []User
	q := db.NewSelect().Model(&users).OrderExpr("email ASC").Limit(int64(f.Limit)).Offset(int64(f.Offset))
	if f.Query != "" {
		like := "%" + escapeLike(strings.ToLower(f.Query)) + "%"
		q = q.Where("(email LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\')", like, like)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("accounts.ListUsers: %w", err)
	}
	return users, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// CountUsers returns how many users exist, for "is there an admin yet".
func CountUsers(ctx context.Context, db bun.IDB, role Role) (int, error) {
	n, err := db.NewSelect().Model((*User)(nil)).Where("role = ?", role).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("accounts.CountUsers: %w", err)
	}
	return int(n), nil
}

// setRole changes a user's role and unit together, since an official's
// unit only makes sense with the role.
func setRole(ctx context.Context, db bun.IDB, id int64, role Role, unit string) error {
	if !role.Valid() {
		return ErrInvalidRole
	}
	if role.Scoped() && unit == "" {
		return ErrUnitRequired
	}
	if !role.Scoped() {
		unit = ""
	}
	return updateUser(ctx, db, "accounts.setRole", id, map[string]any{"role": role, "unit_code": unit})
}

// setDisabled disables or enables a user. Disabling ends all their
// sessions and spends their unused set-password links, so that enabling
// the account again does not revive a link made before.
func setDisabled(ctx context.Context, db bun.IDB, id int64, disabled bool) error {
	set := map[string]any{"disabled": disabled}
	if disabled {
		set["sessions_valid_after"] = time.Now().UTC()
	}
	if err := updateUser(ctx, db, "accounts.setDisabled", id, set); err != nil {
		return err
	}
	if !disabled {
		return nil
	}
	return spendPasswordTokens(ctx, db, id) // after the user's row: see lockUserLinks
}

// setPasswordHash stores a new password hash, ends every session the user
// had and spends every unused set-password or reset link, so a changed
// password locks out whoever knew the old one or holds an older link.
func setPasswordHash(ctx context.Context, db bun.IDB, id int64, hash string) error {
	if err := updateUser(ctx, db, "accounts.setPasswordHash", id, map[string]any{
		"password_hash": hash, "sessions_valid_after": time.Now().UTC(),
	}); err != nil {
		return err
	}
	return spendPasswordTokens(ctx, db, id) // after the user's row: see lockUserLinks
}

func updateUser(ctx context.Context, db bun.IDB, op string, id int64, set map[string]any) error {
	q := db.NewUpdate().Model((*User)(nil)).Where("id = ?", id)
	for col, v := range set {
		q = q.Set("? = ?", bun.Ident(col), v)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", op, database.ErrNotFound)
	}
	return nil
}

// SessionValid reports whether a session begun at authAt may still act for u.
func (u *User) SessionValid(authAt time.Time) bool {
	return !u.Disabled && authAt.After(u.SessionsValidAfter)
}

// createUsernameUser stores a resident known by a username instead of an
// address.
func createUsernameUser(ctx context.Context, db bun.IDB, n NewUser) (*User, error) {
	if n.Email != "" {
		return nil, ErrEmailOrUsername
	}
	name, err := NormalizeUsername(n.Username)
	if err != nil {
		return nil, err
	}
	if n.Role != RoleResident {
		return nil, ErrInvalidRole
	}
	exists, err := db.NewSelect().Model((*User)(nil)).Where("username = ?", name).Exists(ctx)
	if err != nil {
		return nil, fmt.Errorf("accounts.CreateUser: %w", err)
	}
	if exists {
		return nil, ErrUsernameTaken
	}
	now := time.Now().UTC()
	u := &User{Username: name, Name: strings.TrimSpace(n.Name), Role: n.Role,
		PasswordHash: n.PasswordHash, CreatedAt: now, SessionsValidAfter: now.Add(-time.Second)}
	if _, err := db.NewInsert().Model(u).Returning("id").Exec(ctx); err != nil {
		return nil, fmt.Errorf("accounts.CreateUser: %w", err)
	}
	return u, nil
}

// Login is how the user signs in: the address, or the username.
func (u *User) Login() string {
	if u.Username != "" {
		return u.Username
	}
	return u.Email
}

package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// SignUpLinkTTL is how long the link that finishes an e-mail sign-up works.
const SignUpLinkTTL = 24 * time.Hour

// A sign-up with an e-mail address is finished by a link sent to that
// address, so the form answers the same whether or not the address has an
// account: an address with one gets an e-mail saying so instead of a link.
// Until the link is opened nothing signs in, so trying the password just
// chosen tells nothing either.
type signupRequest struct {
	bun.BaseModel `bun:"table:signup_requests"`
	TokenHash     string    `bun:"token_hash,pk"`
	Email         string    `bun:"email,notnull"`
	Name          string    `bun:"name,notnull"`
	Role          Role      `bun:"role,notnull"`
	PasswordHash  string    `bun:"password_hash,notnull"`
	Consents      string    `bun:"consents,notnull"` // purpose IDs, comma-separated
	CreatedAt     time.Time `bun:"created_at,notnull"`
	ExpiresAt     time.Time `bun:"expires_at,notnull"`
}

// PrepareSignUp checks a registration with an e-mail address and hashes
// its password (refusing with ErrBusy when too many are being hashed), the
// work a sign-up costs whether or not the address has an account.
func PrepareSignUp(ctx context.Context, pw *Passwords, g Registration) (string, error) {
	if err := g.Check(pw); err != nil {
		return "", err
	}
	return pw.hashNewAccount(ctx, g.Password)
}

// RequestSignUp keeps a prepared registration (hash from PrepareSignUp)
// and returns the token of the link that finishes it, replacing any
// earlier request for the address. When the address has an account
// already, it keeps nothing and returns that account instead, for the
// e-mail that tells its owner.
func RequestSignUp(ctx context.Context, db bun.IDB, g Registration, hash string) (*User, string, error) {
	email, err := NormalizeEmail(g.Email)
	if err != nil {
		return nil, "", refuse("email", err)
	}
	var existing *User
	token := RandomToken(20)
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		u, err := UserByEmail(ctx, tx, email)
		switch {
		case err == nil:
			existing = u
			return nil
		case !errors.Is(err, database.ErrNotFound):
			return err
		}
		if _, err := tx.NewDelete().Model((*signupRequest)(nil)).Where("email = ?", email).Exec(ctx); err != nil {
			return err
		}
		now := time.Now().UTC()
		_, err = tx.NewInsert().Model(&signupRequest{TokenHash: hashToken(token), Email: email, Name: strings.TrimSpace(g.Name),
			Role: g.Role, PasswordHash: hash, Consents: strings.Join(g.Consents, ","), CreatedAt: now,
			ExpiresAt: now.Add(SignUpLinkTTL)}).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("accounts.RequestSignUp: %w", err)
	}
	if existing != nil {
		return existing, "", nil
	}
	return nil, token, nil
}

// SignUpRequestEmail returns the address a sign-up link would open an
// account for, or ErrTokenInvalid when the link is unknown, used or
// expired.
func SignUpRequestEmail(ctx context.Context, db bun.IDB, token string) (string, error) {
	var req signupRequest
	err := db.NewSelect().Model(&req).Where("token_hash = ?", hashToken(token)).Where("expires_at > ?", time.Now().UTC()).Scan(ctx)
	if database.IsNoRows(err) {
		return "", ErrTokenInvalid
	}
	if err != nil {
		return "", fmt.Errorf("accounts.SignUpRequestEmail: %w", err)
	}
	return req.Email, nil
}

// ConfirmSignUp opens the account a sign-up link was sent for, with its
// consents and audit line, and spends the link, in one transaction. An
// unknown, used or expired link is ErrTokenInvalid; an address that got an
// account meanwhile is a refusal on "email" (ErrEmailTaken).
func ConfirmSignUp(ctx context.Context, db bun.IDB, who Actor, token string) (*User, error) {
	var u *User
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var req signupRequest
		err := database.ForUpdate(tx.NewSelect().Model(&req).Where("token_hash = ?", hashToken(token)).
			Where("expires_at > ?", time.Now().UTC())).Scan(ctx)
		if database.IsNoRows(err) {
			return ErrTokenInvalid
		}
		if err != nil {
			return err
		}
		res, err := tx.NewDelete().Model((*signupRequest)(nil)).Where("token_hash = ?", req.TokenHash).Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return ErrTokenInvalid // another request spent it first
		}
		g := Registration{Email: req.Email, Name: req.Name, Role: req.Role}
		if req.Consents != "" {
			g.Consents = strings.Split(req.Consents, ",")
		}
		u, _, err = openAccount(ctx, tx, who, g, req.PasswordHash)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("accounts.ConfirmSignUp: %w", err)
	}
	return u, nil
}

// DeleteExpiredSignUpRequests forgets sign-ups whose link has expired, with
// the address, name and password hash they held, and returns how many; the
// maintenance loop calls it.
func DeleteExpiredSignUpRequests(ctx context.Context, db bun.IDB) (int64, error) {
	res, err := db.NewDelete().Model((*signupRequest)(nil)).Where("expires_at <= ?", time.Now().UTC()).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("accounts.DeleteExpiredSignUpRequests: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

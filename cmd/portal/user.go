package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"digiportal/accounts"
	"digiportal/i18n"
)

// userCreateCommand creates an account — the only way to make the first
// admin, since the portal has no default one — and prints a one-time link
// for its owner to set the password.
func userCreateCommand() command {
	var email, role, unit, lang *string
	return command{
		name:  "user create",
		usage: "user create --email E --role R [--unit CODE]",
		flags: func(fs *flag.FlagSet) {
			email = fs.String("email", "", "the user's e-mail address")
			role = fs.String("role", "", "resident, business, commune_official, province_official or admin")
			unit = fs.String("unit", "", "the official's unit code (statistics office)")
			lang = fs.String("lang", "vi", "language of the link: vi or en")
		},
		run: func(ctx context.Context, e *env, _ []string) error {
			if *email == "" {
				return &usageError{"--email is required"}
			}
			in := accounts.NewUser{Email: *email, Role: accounts.Role(*role), UnitCode: *unit}
			if err := in.Check(); err != nil {
				return userCreateError(err, *role)
			}
			if *lang != "vi" && *lang != "en" {
				return &usageError{"--lang must be vi or en"}
			}
			db, err := openDB(ctx, e.cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			u, token, err := accounts.CreateUserWithLink(ctx, db, accounts.SystemActor("portal user create"), in)
			if err != nil {
				return userCreateError(err, *role)
			}
			bundle, err := i18n.NewBundle()
			if err != nil {
				return err
			}
			l := bundle.Localizer(i18n.Lang(*lang))
			valid := l.N("cli.hours", int(accounts.SetPasswordTTL/time.Hour))
			// The link is built as the server builds its own: from
			// PORTAL_BASE_URL, or http:// and PORTAL_ADDR without it.
			fmt.Fprintf(e.stdout, "%s\n%s/%s/set-password/%s\n",
				l.T("cli.user.created", "Email", u.Email, "Role", u.Role, "Valid", valid), e.cfg.BaseURL, *lang, token)
			return nil
		},
	}
}

// userCreateError words a refused account in the terms of the command
// line: a bad role or unit is a usage mistake (exit code 2) named by its
// flag; anything else, such as an address already registered, is returned
// as it is.
func userCreateError(err error, role string) error {
	var ve *accounts.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	for _, p := range ve.Problems {
		switch {
		case errors.Is(p.Err, accounts.ErrInvalidRole):
			return &usageError{fmt.Sprintf("--role %q is not one of resident, business, commune_official, province_official, admin", role)}
		case errors.Is(p.Err, accounts.ErrUnitRequired):
			return &usageError{"--unit is required for officials"}
		case errors.Is(p.Err, accounts.ErrInvalidUnit):
			return &usageError{"--unit is not a unit code"}
		}
	}
	return err
}

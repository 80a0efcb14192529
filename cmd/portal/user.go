package main

import (
	"context"
	"flag"
	"fmt"

	"digiportal/accounts"
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
			r := accounts.Role(*role)
			switch {
			case *email == "":
				return &usageError{"--email is required"}
			case !r.Valid():
				return &usageError{fmt.Sprintf("--role %q is not one of resident, business, commune_official, province_official, admin", *role)}
			case r.Official() && *unit == "":
				return &usageError{"--unit is required for officials"}
			case *lang != "vi" && *lang != "en":
				return &usageError{"--lang must be vi or en"}
			}
			db, err := openDB(ctx, e.cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			u, err := accounts.CreateUser(ctx, db, accounts.NewUser{Email: *email, Role: r, UnitCode: *unit})
			if err != nil {
				return err
			}
			token, err := accounts.NewPasswordToken(ctx, db, u.ID)
			if err != nil {
				return err
			}
			if err := accounts.RecordAudit(ctx, db, accounts.AuditEntry{ActorEmail: "portal user create",
				Action: accounts.AuditUserCreated, ObjectType: "user", ObjectID: fmt.Sprint(u.ID), New: string(r) + " " + *unit}); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Created %s (%s). Send this one-time link to set the password; it works once, within %s:\n%s/%s/set-password/%s\n",
				u.Email, r, accounts.SetPasswordTTL, e.cfg.BaseURL, *lang, token)
			return nil
		},
	}
}

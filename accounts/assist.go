package accounts

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/i18n"
	"digiportal/internal/personal"
)

// A member of a community digital technology team (a helper) helps a
// resident without e-mail into the portal in person: starts the
// resident's account, or gives a resident who lost access a one-time link.
// Either way the helper gets a short code the resident opens on their own
// phone to set their own password; the helper never learns it.
const (
	AuditAssistStarted = "account.assist_started" // a helper started a resident's account
	AuditAssistReset   = "account.assist_reset"   // a helper gave a resident a reset link
	AuditAssistLookup  = "account.assist_lookup"  // a helper's refused try, kept to bound look-ups
)

// Bounds of the help a helper gives. A link works AssistedResetTTL, like
// the one an official gives, and only once.
const (
	// AssistPerDay is how many links (new accounts and resets together) a
	// helper may issue in 24 hours.
	AssistPerDay = 10
	// AssistTriesPerHour is how many tries (links issued and tries
	// refused) a helper may make in an hour: a helper names accounts one
	// by one, so more means someone is guessing usernames.
	AssistTriesPerHour = 20
	// AssistCodeLen is the length of the code: 16 letters and digits, 80
	// random bits, short enough to type on a phone from the helper's
	// screen and far too many to guess while it works.
	AssistCodeLen = 16
	// The kinds the audit log records, in place of any personal detail.
	AssistKindNew  = "new account"
	AssistKindLost = "lost access"
)

// Refusals of a helper's try.
var (
	ErrAssistDayLimit   = errors.New("the helper issued the most links a day allows")
	ErrAssistTriesLimit = errors.New("the helper tried too many accounts in the last hour")
	ErrAssistNotPlain   = errors.New("a helper resets only a plain resident's password")
	ErrAssistHasEmail   = errors.New("an account with an address recovers by e-mail, not through a helper")
	ErrAssistHasTOTP    = errors.New("an account with a second factor recovers with its recovery codes or at the commune, not through a helper")
	// What a helper types must identify no one beyond the account itself:
	// no ID or phone number in a username or a reason, and no username in
	// the reason, which the audit log keeps beside the account's id.
	ErrUsernamePersonal = errors.New("a username holds an ID or phone number")
	ErrReasonPersonal   = errors.New("a reason holds an ID or phone number")
	ErrReasonInvisible  = errors.New("a reason holds invisible characters or line breaks")
	ErrReasonNamesLogin = errors.New("a reason repeats the account's username")
)

// StartAssistedAccount opens a resident's account known by username, with
// no password, no unit and no powers, and the one-time code its owner sets
// the password with, audited with the helper as the actor and the kind, in
// one transaction. A taken or malformed username is a *ValidationError on
// "username"; so is a helper over their limits.
func StartAssistedAccount(ctx context.Context, db bun.IDB, who Actor, username string) (*User, string, error) {
	if personal.HoldsNumber(username) {
		return nil, "", refuse("username", ErrUsernamePersonal) // nothing looked up, no try counted
	}
	var u *User
	var code string
	err := inAssistBudget(ctx, db, who, "username", func(ctx context.Context, tx bun.Tx) error {
		name, err := NormalizeUsername(username)
		if err != nil {
			return refuse("username", err) // nothing looked up
		}
		if u, err = CreateUser(ctx, tx, NewUser{Username: name, Role: RoleResident}); errors.Is(err, ErrUsernameTaken) {
			return assistRefused(ctx, tx, who, "", refuse("username", err))
		} else if err != nil {
			return err
		}
		if code, err = newPasswordCode(ctx, tx, u.ID, AssistedResetTTL); err != nil {
			return err
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditAssistStarted, ObjectType: "user",
			ObjectID: strconv.FormatInt(u.ID, 10), New: string(RoleResident), Detail: AssistKindNew})
	})
	if err != nil {
		return nil, "", err
	}
	return u, code, nil
}

// IssueHelperReset gives a resident who lost access, named exactly by
// username, a one-time code to set a new password: the rules of an
// official's assisted reset (CheckAssistedReset) and on top only a plain
// resident's account, never a business's, a helper's, an official's or an
// admin's, nor one its owner guards with an address (it recovers by
// e-mail) or a second factor (its recovery codes, or the commune). An
// address typed is refused before anything is looked up. It is audited
// with the helper, the kind and the reason, and spends the account's
// earlier links, in one transaction; the password set with it ends the
// resident's sessions. A refused look-up is logged and counts against the
// helper's hourly limit.
func IssueHelperReset(ctx context.Context, db bun.IDB, who Actor, username, reason string) (*User, string, error) {
	if err := checkHelperReason(username, reason); err != nil {
		return nil, "", err // a bad reason is no free look-up: nothing looked up, no try counted
	}
	var u *User
	var code string
	err := inAssistBudget(ctx, db, who, "login", func(ctx context.Context, tx bun.Tx) error {
		if strings.Contains(username, "@") {
			return refuse("login", ErrAssistHasEmail)
		}
		var err error
		u, err = CheckAssistedReset(ctx, tx, username, reason)
		switch {
		case err != nil:
		case u.Role != RoleResident:
			err = refuse("login", ErrAssistNotPlain)
		case u.Email != "":
			err = refuse("login", ErrAssistHasEmail)
		case u.TOTPEnabled:
			err = refuse("login", ErrAssistHasTOTP)
		}
		var ve *ValidationError
		if errors.As(err, &ve) {
			object := ""
			if u != nil {
				object = strconv.FormatInt(u.ID, 10)
			}
			return assistRefused(ctx, tx, who, object, err)
		}
		if err != nil {
			return err
		}
		code, err = issueLink(ctx, tx, who, u, newPasswordCode, AuditEntry{Action: AuditAssistReset,
			New: AssistKindLost, Detail: strings.TrimSpace(reason)})
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return u, code, nil
}

// inAssistBudget runs fn, one try of a helper, in one transaction that
// first locks the helper's own account row, checks it is still a helper's
// (ErrForbidden if the official removed them from the team meanwhile), and
// counts the helper's bounds:
// parallel tries of one helper wait for each other, so none passes a bound
// another has just reached (SQLite's transactions take the write lock at
// once; PostgreSQL's wait on the row). A refusal (*ValidationError) from
// fn, with whatever fn logged of it, is committed and returned; any other
// error rolls everything back.
func inAssistBudget(ctx context.Context, db bun.IDB, who Actor, field string, fn func(context.Context, bun.Tx) error) error {
	if who.UserID == 0 {
		return ErrSignInRequired
	}
	var refusal error
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var me User
		if err := database.ForUpdate(tx.NewSelect().Model(&me).Column("id", "role", "disabled").Where("id = ?", who.UserID)).Scan(ctx); err != nil {
			if database.IsNoRows(err) {
				return ErrSignInRequired // the helper's account is gone
			}
			return fmt.Errorf("accounts.inAssistBudget: %w", err)
		}
		if me.Role != RoleHelper || me.Disabled {
			return ErrForbidden // left the team, or disabled, since the request began
		}
		if err := checkAssistLimits(ctx, tx, who, field); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				refusal = err
				return nil
			}
			return err
		}
		err := fn(ctx, tx)
		var ve *ValidationError
		if errors.As(err, &ve) {
			refusal = err
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	return refusal
}

// AssistIssuedToday is how many links the helper issued in the last 24
// hours, for the page to say how many are left.
func AssistIssuedToday(ctx context.Context, db bun.IDB, who Actor) (int, error) {
	return countAssist(ctx, db, who, 24*time.Hour, AuditAssistStarted, AuditAssistReset)
}

// checkAssistLimits refuses a helper over either bound, a
// *ValidationError on field.
func checkAssistLimits(ctx context.Context, db bun.IDB, who Actor, field string) error {
	n, err := AssistIssuedToday(ctx, db, who)
	if err != nil {
		return err
	}
	if n >= AssistPerDay {
		return refuse(field, ErrAssistDayLimit)
	}
	if n, err = countAssist(ctx, db, who, time.Hour, AuditAssistStarted, AuditAssistReset, AuditAssistLookup); err != nil {
		return err
	}
	if n >= AssistTriesPerHour {
		return refuse(field, ErrAssistTriesLimit)
	}
	return nil
}

func countAssist(ctx context.Context, db bun.IDB, who Actor, within time.Duration, actions ...string) (int, error) {
	n, err := db.NewSelect().Model((*AuditEntry)(nil)).Where("actor_id = ?", who.UserID).
		Where("action IN (?)", bun.List(actions)).Where("at >= ?", time.Now().UTC().Add(-within)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("accounts.countAssist: %w", err)
	}
	return int(n), nil
}

// assistRefused logs a refused try (its outcome in words of the code, the
// account's id when one was found, nothing typed) and returns refusal.
func assistRefused(ctx context.Context, db bun.IDB, who Actor, object string, refusal error) error {
	if err := who.Record(ctx, db, AuditEntry{Action: AuditAssistLookup, ObjectType: "user", ObjectID: object,
		Detail: refusal.Error()}); err != nil {
		return err
	}
	return refusal
}

// newPasswordCode is a one-time token of AssistCodeLen characters: a
// set-password link like any other, short enough to type.
func newPasswordCode(ctx context.Context, db bun.IDB, userID int64, ttl time.Duration) (string, error) {
	return insertPasswordToken(ctx, db, userID, RandomToken(AssistCodeLen*5/8), ttl)
}

// NormalizeCode reads a code as a person types it from a screen: any case,
// with spaces or dashes between the groups it is shown in, and a zero or a
// one for the letters o and l they look like (codes hold no 0 or 1).
func NormalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			return -1
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		case r == '0':
			return 'o'
		case r == '1':
			return 'l'
		}
		return r
	}, strings.TrimSpace(s))
}

// checkHelperReason refuses a reason for a helper's reset that would put
// personal detail in the audit log: an ID or phone number, characters a
// reader cannot see or a line break, or the username itself (at least 3 characters of it,
// in any case). A missing reason is CheckAssistedReset's to refuse.
func checkHelperReason(username, reason string) error {
	login := strings.ToLower(strings.TrimSpace(username))
	switch {
	case i18n.Invisible(reason) || strings.ContainsAny(reason, "\r\n\t"):
		return refuse("reason", ErrReasonInvisible) // one line, as the audit log shows it
	case personal.HoldsNumber(reason):
		return refuse("reason", ErrReasonPersonal)
	case len(login) >= 3 && strings.Contains(strings.ToLower(reason), login):
		return refuse("reason", ErrReasonNamesLogin)
	}
	return nil
}

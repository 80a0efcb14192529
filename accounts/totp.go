package accounts

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"image/png"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/uptrace/bun"
)

// RecoveryCodeCount is how many one-time recovery codes a user gets.
const RecoveryCodeCount = 10

// TOTPEnrolment is a new secret waiting for its first code.
type TOTPEnrolment struct {
	Secret  string // base32, for manual entry
	URL     string // otpauth:// URL
	QRImage string // data: URL of a PNG QR code of URL
}

// NewTOTP makes a new RFC 6238 secret (SHA-1, 6 digits, 30 s: what every
// authenticator app understands) for the account, with its QR code.
func NewTOTP(issuer, account string) (*TOTPEnrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, SecretSize: 20})
	if err != nil {
		return nil, fmt.Errorf("accounts.NewTOTP: %w", err)
	}
	return enrolment(key)
}

// NewTOTPSecret makes a new RFC 6238 secret, base32 as authenticator apps
// take it typed in, for an account enrolled without the enrolment page (the
// demo accounts).
func NewTOTPSecret() (string, error) {
	e, err := NewTOTP("digiportal", "demo")
	if err != nil {
		return "", err
	}
	return e.Secret, nil
}

// NewTOTPFromSecret shows an enrolment again for a secret not yet confirmed.
func NewTOTPFromSecret(issuer, account, secret string) (*TOTPEnrolment, error) {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("period", "30")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: v.Encode()}
	key, err := otp.NewKeyFromURL(u.String())
	if err != nil {
		return nil, fmt.Errorf("accounts.NewTOTPFromSecret: %w", err)
	}
	return enrolment(key)
}

func enrolment(key *otp.Key) (*TOTPEnrolment, error) {
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, fmt.Errorf("accounts.NewTOTP: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("accounts.NewTOTP: %w", err)
	}
	return &TOTPEnrolment{
		Secret:  key.Secret(),
		URL:     key.URL(),
		QRImage: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()),
	}, nil
}

// ValidTOTP checks a 6-digit code against secret, allowing one step of
// clock drift either way.
func ValidTOTP(secret, code string, at time.Time) bool {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 || secret == "" {
		return false
	}
	ok, err := totp.ValidateCustom(code, secret, at, totpOpts)
	return err == nil && ok
}

// totpOpts are the parameters every authenticator app understands.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// UseTOTP accepts a user's code once (ASVS 5: a time-based code is usable
// only once). It finds the 30-second step the code belongs to, allowing one
// step of clock drift, and records it; a step not newer than the last one
// accepted is refused, so a code seen over a shoulder or relayed by a
// phishing page cannot sign in a second time.
func UseTOTP(ctx context.Context, db bun.IDB, u *User, code string, at time.Time) (bool, error) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 || u.TOTPSecret == "" {
		return false, nil
	}
	now := at.Unix() / 30
	for step := now - 1; step <= now+1; step++ {
		want, err := totp.GenerateCodeCustom(u.TOTPSecret, time.Unix(step*30, 0), totpOpts)
		if err != nil {
			return false, fmt.Errorf("accounts.UseTOTP: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) != 1 {
			continue
		}
		res, err := db.NewUpdate().Model((*User)(nil)).
			Set("totp_last_step = ?", step).
			Where("id = ?", u.ID).Where("totp_last_step < ?", step).
			Exec(ctx)
		if err != nil {
			return false, fmt.Errorf("accounts.UseTOTP: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return false, fmt.Errorf("accounts.UseTOTP: %w", err)
		}
		return n == 1, nil
	}
	return false, nil
}

// enableTOTP stores a confirmed secret and returns fresh recovery codes,
// replacing any earlier ones. The codes are shown once; only hashes stay.
func enableTOTP(ctx context.Context, db bun.IDB, userID int64, secret string) ([]string, error) {
	if err := updateUser(ctx, db, "accounts.enableTOTP", userID, map[string]any{"totp_secret": secret, "totp_enabled": true}); err != nil {
		return nil, err
	}
	return newRecoveryCodes(ctx, db, userID)
}

// resetTOTP removes a user's second factor and recovery codes, so the user
// enrols again at the next sign-in when it is required.
func resetTOTP(ctx context.Context, db bun.IDB, userID int64) error {
	if err := updateUser(ctx, db, "accounts.resetTOTP", userID, map[string]any{"totp_secret": "", "totp_enabled": false}); err != nil {
		return err
	}
	if _, err := db.NewDelete().Model((*recoveryCode)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("accounts.resetTOTP: %w", err)
	}
	return nil
}

type recoveryCode struct {
	bun.BaseModel `bun:"table:recovery_codes"`
	ID            int64     `bun:"id,pk,autoincrement"`
	UserID        int64     `bun:"user_id,notnull"`
	CodeHash      string    `bun:"code_hash,notnull"`
	UsedAt        time.Time `bun:"used_at,nullzero"`
}

func newRecoveryCodes(ctx context.Context, db bun.IDB, userID int64) ([]string, error) {
	if _, err := db.NewDelete().Model((*recoveryCode)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return nil, fmt.Errorf("accounts.newRecoveryCodes: %w", err)
	}
	codes := make([]string, RecoveryCodeCount)
	rows := make([]recoveryCode, RecoveryCodeCount)
	for i := range codes {
		raw := RandomToken(8) // 64 bits, 13 characters
		codes[i] = raw[:4] + "-" + raw[4:8] + "-" + raw[8:]
		rows[i] = recoveryCode{UserID: userID, CodeHash: hashToken(normalizeRecovery(codes[i]))}
	}
	if _, err := db.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return nil, fmt.Errorf("accounts.newRecoveryCodes: %w", err)
	}
	return codes, nil
}

func normalizeRecovery(code string) string {
	return strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
}

// UseRecoveryCode spends one unused recovery code of the user; it reports
// false when the code is unknown or spent.
func UseRecoveryCode(ctx context.Context, db bun.IDB, userID int64, code string) (bool, error) {
	res, err := db.NewUpdate().Model((*recoveryCode)(nil)).
		Set("used_at = ?", time.Now().UTC()).
		Where("user_id = ?", userID).
		Where("code_hash = ?", hashToken(normalizeRecovery(code))).
		Where("used_at IS NULL").
		Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("accounts.UseRecoveryCode: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("accounts.UseRecoveryCode: %w", err)
	}
	return n == 1, nil
}

// hasRecoveryCode reports whether code is one of the user's unused
// recovery codes, without spending it.
func hasRecoveryCode(ctx context.Context, db bun.IDB, userID int64, code string) (bool, error) {
	n, err := db.NewSelect().Model((*recoveryCode)(nil)).
		Where("user_id = ?", userID).
		Where("code_hash = ?", hashToken(normalizeRecovery(code))).
		Where("used_at IS NULL").
		Count(ctx)
	if err != nil {
		return false, fmt.Errorf("accounts.hasRecoveryCode: %w", err)
	}
	return n > 0, nil
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func RecoveryCodesLeft(ctx context.Context, db bun.IDB, userID int64) (int, error) {
	n, err := db.NewSelect().Model((*recoveryCode)(nil)).Where("user_id = ?", userID).Where("used_at IS NULL").Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("accounts.RecoveryCodesLeft: %w", err)
	}
	return int(n), nil
}

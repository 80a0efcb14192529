// Package mail sends the portal's e-mail: one-time links to set or reset a
// password. Over SMTP (PORTAL_SMTP_URL, with STARTTLS whenever the server
// offers it) through github.com/wneessen/go-mail; without SMTP, to the log,
// so that a developer's portal still shows the link.
package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one e-mail: a plain-text body and the same in HTML.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
}

// Sender sends messages. Configured reports whether they reach anyone:
// the log sender answers false, and the pages say so.
type Sender interface {
	Send(ctx context.Context, m Message) error
	Configured() bool
}

// SMTP is where and as whom to send, parsed from PORTAL_SMTP_URL and
// PORTAL_MAIL_FROM.
type SMTP struct {
	Host     string
	Port     int
	User     string
	Password string
	From     string // the address alone
	FromName string // the name shown beside it
}

// ParseSMTPURL reads smtp://user:pass@host:port (user and password
// optional, port 587 when absent). The error names what is wrong and never
// repeats the password.
func ParseSMTPURL(raw string) (SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTP{}, errors.New("not a URL; want smtp://user:pass@host:port")
	}
	if u.Scheme != "smtp" {
		return SMTP{}, errors.New("want the scheme smtp:// (STARTTLS is used whenever the server offers it)")
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return SMTP{}, errors.New("want no path, query or fragment")
	}
	c := SMTP{Host: u.Hostname(), Port: 587}
	if c.Host == "" {
		return SMTP{}, errors.New("no host")
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return SMTP{}, errors.New("the port must be a number from 1 to 65535")
		}
	}
	if u.User != nil {
		c.User = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	return c, nil
}

// ParseFrom checks PORTAL_MAIL_FROM: one plain address.
func ParseFrom(raw string) (string, error) {
	a, err := mail.ParseAddress(raw)
	if err != nil || a.Name != "" || a.Address != raw {
		return "", errors.New("want one e-mail address, such as noreply@province.gov.vn")
	}
	return a.Address, nil
}

// Redact is an SMTP URL fit for a log or an error: the password hidden.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}

// smtpSender sends over SMTP, one connection per message: the portal sends
// a handful a day.
type smtpSender struct{ c SMTP }

// NewSMTP returns a sender over the SMTP server c.
func NewSMTP(c SMTP) Sender { return smtpSender{c: c} }

func (s smtpSender) Configured() bool { return true }

// Send delivers m, giving up after 30 seconds.
func (s smtpSender) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(s.c.FromName, s.c.From); err != nil {
		return fmt.Errorf("mail: from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	opts := []gomail.Option{
		gomail.WithPort(s.c.Port),
		gomail.WithTLSPolicy(gomail.TLSOpportunistic),
		gomail.WithTimeout(30 * time.Second),
	}
	if s.c.User != "" {
		// PLAIN only ever goes over TLS (go-mail refuses it in clear to
		// anything but the machine itself).
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(s.c.User), gomail.WithPassword(s.c.Password))
	}
	client, err := gomail.NewClient(s.c.Host, opts...)
	if err != nil {
		return fmt.Errorf("mail: client: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send to %s: %w", net.JoinHostPort(s.c.Host, strconv.Itoa(s.c.Port)), err)
	}
	return nil
}

// logSender writes messages to the log instead: for a developer's portal
// without SMTP. The link is in the text, so the log must stay private, as
// a development log is.
type logSender struct{ log *slog.Logger }

// NewLog returns a sender that writes each message to log.
func NewLog(log *slog.Logger) Sender { return logSender{log: log} }

func (s logSender) Configured() bool { return false }

func (s logSender) Send(ctx context.Context, m Message) error {
	s.log.LogAttrs(ctx, slog.LevelWarn, "e-mail not sent (PORTAL_SMTP_URL is not set); it would have said",
		slog.String("to", m.To), slog.String("subject", m.Subject), slog.String("text", strings.TrimSpace(m.Text)))
	return nil
}

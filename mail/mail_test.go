package mail_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"digiportal/mail"
	"digiportal/mail/mailpit"
)

// TestSMTPThroughMailpit sends a message with both bodies to a real SMTP
// server and reads it back through Mailpit's API.
func TestSMTPThroughMailpit(t *testing.T) {
	mp := mailpit.Start(t)
	c, err := mail.ParseSMTPURL(mp.SMTPURL())
	if err != nil {
		t.Fatal(err)
	}
	c.From, c.FromName = "noreply@portal.example.test", "Cổng Chuyển đổi số tỉnh"
	m := mail.Message{To: "resident@example.test", Subject: "Đặt lại mật khẩu / Reset your password",
		Text: "Xin chào\n\nHello", HTML: "<p>Xin chào</p><p>Hello</p>"}
	if err := mail.NewSMTP(c).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := mp.Messages(t)
	if len(got) != 1 {
		t.Fatalf("%d messages, want 1", len(got))
	}
	g := got[0]
	if g.Subject != m.Subject || len(g.To) != 1 || g.To[0] != m.To || !strings.Contains(g.From, "Cổng Chuyển đổi số tỉnh") ||
		!strings.Contains(g.Text, "Xin chào") || !strings.Contains(g.HTML, "<p>Hello</p>") {
		t.Errorf("received %+v", g)
	}
}

func TestParseSMTPURL(t *testing.T) {
	good := map[string]mail.SMTP{
		"smtp://mail.example.test":                 {Host: "mail.example.test", Port: 587},
		"smtp://u%40x:p%3Ass@mail.example.test:25": {Host: "mail.example.test", Port: 25, User: "u@x", Password: "p:ss"},
		"smtp://[::1]:2525":                        {Host: "::1", Port: 2525},
	}
	for raw, want := range good {
		if got, err := mail.ParseSMTPURL(raw); err != nil || got != want {
			t.Errorf("ParseSMTPURL(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	for _, raw := range []string{"", "mail.example.test", "smtps://h", "http://h", "smtp://", "smtp://h:0", "smtp://h:99999", "smtp://h:x", "smtp://h/path", "smtp://h?x=1", "smtp://user:secret@h:bad"} {
		_, err := mail.ParseSMTPURL(raw)
		if err == nil {
			t.Errorf("ParseSMTPURL(%q) accepted", raw)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseSMTPURL(%q) repeats the password: %v", raw, err)
		}
	}
	if r := mail.Redact("smtp://user:secret@h:25"); strings.Contains(r, "secret") {
		t.Errorf("Redact kept the password: %s", r)
	}
	for _, raw := range []string{"", "a", "Name <a@b.test>", "a@b.test, c@d.test"} {
		if _, err := mail.ParseFrom(raw); err == nil {
			t.Errorf("ParseFrom(%q) accepted", raw)
		}
	}
}

func FuzzParseSMTPURL(f *testing.F) {
	f.Add("smtp://u:p@h:25")
	f.Add("smtp://[::1]:2525")
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := mail.ParseSMTPURL(raw)
		if err == nil && (c.Host == "" || c.Port < 1 || c.Port > 65535) {
			t.Errorf("ParseSMTPURL(%q) = %+v", raw, c)
		}
	})
}

// TestLogSender: without SMTP the message goes to the log and the sender
// says it reaches nobody.
func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	s := mail.NewLog(slog.New(slog.NewTextHandler(&buf, nil)))
	if s.Configured() {
		t.Error("the log sender says it is configured")
	}
	if err := s.Send(context.Background(), mail.Message{To: "a@b.test", Subject: "S", Text: "link https://x.test/t"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "https://x.test/t") {
		t.Errorf("log lacks the text: %s", buf.String())
	}
}

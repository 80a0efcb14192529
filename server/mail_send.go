package server

import (
	"bytes"
	"context"
	htmltemplate "html/template"
	"log/slog"
	"strings"
	texttemplate "text/template"
	"time"

	"digiportal/i18n"
	"digiportal/mail"
)

// The e-mails' templates: one link, explained in each language, Vietnamese
// first, as plain text and as HTML.
var (
	mailText = texttemplate.Must(texttemplate.ParseFS(templateFiles, "templates/mail/link.txt"))
	mailHTML = htmltemplate.Must(htmltemplate.ParseFS(templateFiles, "templates/mail/link.html"))
)

// mailPart is a message's text in one language.
type mailPart struct {
	Lang                                               i18n.Lang
	Greeting, Intro, Action, LinkIntro, Expiry, Ignore string
	Site                                               string
	Last                                               bool
}

// linkMessage is the e-mail of kind ("reset", "setpassword") carrying link
// to to, in both languages, its texts from the message files
// ("mail.<kind>.*").
func (s *web) linkMessage(to, kind, link string) (mail.Message, error) {
	data := struct {
		Subject string
		Link    string
		Parts   []mailPart
	}{Link: link}
	var subjects []string
	langs := i18n.Langs()
	for i, lang := range langs {
		l := s.bundle.Localizer(lang)
		subjects = append(subjects, l.T("mail."+kind+".subject"))
		data.Parts = append(data.Parts, mailPart{Lang: lang,
			Greeting: l.T("mail.greeting"), Intro: l.T("mail." + kind + ".intro"), Action: l.T("mail." + kind + ".action"),
			LinkIntro: l.T("mail.link_intro"), Expiry: l.T("mail." + kind + ".expiry"), Ignore: l.T("mail." + kind + ".ignore"),
			Site: l.T("site.name"), Last: i == len(langs)-1})
	}
	data.Subject = strings.Join(subjects, " / ")
	var text, html bytes.Buffer
	if err := mailText.Execute(&text, data); err != nil {
		return mail.Message{}, err
	}
	if err := mailHTML.Execute(&html, data); err != nil {
		return mail.Message{}, err
	}
	return mail.Message{To: to, Subject: data.Subject, Text: text.String(), HTML: html.String()}, nil
}

// sendLater sends m after the request is answered, so that the answer
// takes as long whether or not there was anything to send; a failure is
// logged without the address.
func (s *web) sendLater(ctx context.Context, m mail.Message) {
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if err := s.mail.Send(ctx, m); err != nil {
			s.log.LogAttrs(ctx, slog.LevelError, "e-mail not sent", slog.Any("err", err))
		}
	}()
}

// WaitMail waits until every e-mail begun has been sent or has failed: for
// shutdown, and for tests that read what was sent.
func (s *Server) WaitMail() { s.background.Wait() }

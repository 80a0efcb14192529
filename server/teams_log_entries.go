package server

import (
	"net/http"
	"time"

	"digiportal/teams"
)

// logEntries words a team's entries for a list, the helper's or the
// official's.
func logEntries(p Page, c *helpCatalogue, list []teams.Visit, now time.Time) []teamLogEntry {
	out := make([]teamLogEntry, 0, len(list))
	for _, x := range list {
		e := teamLogEntry{Visit: x, CanEdit: !x.Locked(now), Reached: x.People1559 + x.People60, KindMsgID: "teams.log.kind." + x.Kind}
		if d, err := time.Parse("2006-01-02", x.Day); err == nil {
			e.Day = p.L.Date(d)
		}
		for _, d := range []struct {
			on bool
			id string
		}{{x.VNeID, "vneid"}, {x.Payment, "payment"}, {x.Service, "service"}, {x.Cashless, "cashless"}, {x.Scam, "scam"}, {x.Lesson, "lesson"}} {
			if d.on {
				e.WhatDone = append(e.WhatDone, "teams.log.done_"+d.id)
			}
		}
		for _, code := range x.Services {
			e.ServiceNames = append(e.ServiceNames, c.serviceName(p.Lang, code))
		}
		for _, slug := range x.Lessons {
			e.LessonNames = append(e.LessonNames, c.lessonName(p.Lang, slug))
		}
		out = append(out, e)
	}
	return out
}

// visitInput reads the help log's form.
func visitInput(r *http.Request) teams.VisitInput {
	f := r.PostForm
	on := func(k string) bool { return f.Get(k) == "yes" }
	return teams.VisitInput{Day: f.Get("day"), Kind: f.Get("kind"), Households: f.Get("households"),
		People1559: f.Get("people_15_59"), People60: f.Get("people_60"), Note: f.Get("note"),
		VNeID: on("done_vneid"), Payment: on("done_payment"), Service: on("done_service"),
		Cashless: on("done_cashless"), Scam: on("done_scam"), Lesson: on("done_lesson"),
		Services: f["service"], Lessons: f["lesson"]}
}

// knownVisitInput reads the help log's form with the catalogues its
// picks are checked against.
func (s *indicatorsPart) knownVisitInput(r *http.Request) teams.VisitInput {
	in := visitInput(r)
	in.Known = &s.help.known
	return in
}

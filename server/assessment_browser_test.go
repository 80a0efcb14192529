package server

import (
	"context"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"digiportal/assessments"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// TestBrowserAssessmentJourney is what the self-assessment promises, done
// by mouse and keyboard on a 360-pixel phone with JavaScript off, in each
// language: start, fill the profile, answer the first pillars (going back
// once), stop with "finish later", continue in a fresh browser from the
// resume code typed loosely, answer the rest, agree to the statistics, send,
// see the level the domain's table tests compute for these answers, find no
// peer group of fewer than 5 shown, and print the report.
func TestBrowserAssessmentJourney(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	for _, tc := range []struct {
		lang  i18n.Lang
		level string // what TestScoreRealModel computes for the middle answers
		score string
	}{
		{i18n.VI, "Mức 3: Hình thành", "43,2%"},
		{i18n.EN, "Level 3: Forming", "43.2%"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			t.Parallel()
			db := dbtest.SQLite(t)
			seedIndicators(t, db) // the units the profile's areas come from
			// Peers for the benchmark.
			if err := assessments.SeedDemo(context.Background(), db, unitAreas{db: db, now: time.Now}); err != nil {
				t.Fatal(err)
			}
			ts := newTestServer(t, db)
			m := ts.srv.assessments.cat.Current()
			pages := m.Pages()
			lang := "/" + string(tc.lang)

			tab := newTab(t, ts, atPhoneWidth, withoutScripts)
			tab.open(lang+"/assessment").mustStatus(t, http.StatusOK)
			tab.mustPassAxe()
			tab.submit(0).mustStatus(t, http.StatusOK) // start
			code := text(t, tab, ".assessment-code .code")
			if _, err := assessments.ParseResumeCode(code); err != nil {
				t.Fatalf("the profile page shows no resume code (%q)", code)
			}
			tab.mustPassAxe()
			shot := func(tb interface{ screenshot(string) }, name string) {
				tb.screenshot(filepath.Join(screenshotDir, "assessment-journey-"+name+"-"+string(tc.lang)+".png"))
			}
			shot(tab, "profile")
			for sel, v := range map[string]string{"#sector": "G", "#revenue": "r3", "#area": "26506"} {
				if err := tab.run(chromedp.SetValue(chromedp.CSS(sel), v, chromedp.NodeReady)); err != nil {
					t.Fatal(err)
				}
			}
			tab.fill("#employees", "25")
			tab.submit(0).mustStatus(t, http.StatusOK)

			// The first pillars; once back and forth.
			answerPage(t, tab, m, pages[0])
			tab.mustPassAxe()
			checkPhoneFrame(t, tab) // the 0–5 scale's radios are tap targets
			shot(tab, "questions")
			tab.submit(0).mustStatus(t, http.StatusOK)
			answerPage(t, tab, m, pages[1])
			tab.follow(`button[value="prev"]`).mustStatus(t, http.StatusOK)
			if _, ok := tab.attr(`input[name="cx-presence.rung"][value="3"]`, "checked"); !ok {
				t.Fatal("going back lost the answers of the page before")
			}
			tab.submit(0).mustStatus(t, http.StatusOK)
			if checked := tab.count(`input[name="st-lead"][value="partial"][checked]`); checked != 1 {
				t.Fatal("the answers of the page left with \"back\" were not saved")
			}
			tab.submit(0).mustStatus(t, http.StatusOK)
			answerPage(t, tab, m, pages[2])
			tab.follow(`button[value="later"]`).mustStatus(t, http.StatusOK)
			if got := text(t, tab, ".resume-code .code"); got != code {
				t.Fatalf("the saved page shows code %q, want %q", got, code)
			}
			tab.mustPassAxe()

			// A fresh browser, the code typed in lowercase with spaces.
			fresh := newTab(t, ts.newVisitor(), atPhoneWidth, withoutScripts)
			fresh.open(lang+"/assessment").mustStatus(t, http.StatusOK)
			fresh.follow(`a[href="`+lang+`/assessment/resume"]`).mustStatus(t, http.StatusOK)
			fresh.fill("#code", strings.ToLower(strings.ReplaceAll(code, "-", " ")))
			l := fresh.submit(0).mustStatus(t, http.StatusOK)
			if want := "/questions/" + pages[3]; !strings.HasSuffix(l.URL, want) {
				t.Fatalf("resumed at %s, want the first unanswered page (%s)", l.URL, want)
			}
			for _, p := range pages[3:] {
				answerPage(t, fresh, m, p)
				fresh.submit(0).mustStatus(t, http.StatusOK)
			}
			fresh.mustPassAxe()       // the review
			checkPhoneFrame(t, fresh) // its "change" links are tap targets
			shot(fresh, "review")
			fresh.click("#consent")
			fresh.submit(0).mustStatus(t, http.StatusOK)

			if got := text(t, fresh, ".level-name"); got != tc.level {
				t.Errorf("level %q, want %q", got, tc.level)
			}
			if got := text(t, fresh, ".level-panel"); !strings.Contains(got, tc.score) {
				t.Errorf("the level panel %q lacks the score %s", got, tc.score)
			}
			fresh.mustPassAxe()
			shot(fresh, "result")
			checkPeerGroups(t, fresh)

			// The report prints, without the portal's frame.
			fresh.follow(`a[href$="/report"]`).mustStatus(t, http.StatusOK)
			fresh.mustPassAxe()
			if err := fresh.run(command(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})); err != nil {
				t.Fatal(err)
			}
			for _, sel := range []string{".site-header", ".site-footer", ".lang-nav"} {
				if d, err := evaluate[string](fresh, `getComputedStyle(document.querySelector(`+jsString(sel)+`)).display`); err != nil || d != "none" {
					t.Errorf("printed, %s has display %q (%v), want none", sel, d, err)
				}
			}
			if n := printedPages(t, fresh); n < 2 || n > 8 {
				t.Errorf("the report prints on %d A4 pages, want 2 to 8", n)
			}
		})
	}
}

// answerPage answers a question page the middle way, by mouse and
// keyboard, as middleForm does for the handler tests.
func answerPage(t *testing.T, tab *tab, m *assessments.Model, page string) {
	t.Helper()
	items, ok := m.PageItems(page)
	if !ok {
		t.Fatalf("no page %s", page)
	}
	radio := func(name, value string) {
		tab.click(`input[name="` + name + `"][value="` + value + `"]`)
	}
	for _, it := range items {
		switch it.Type {
		case assessments.GateLadder:
			radio(it.ID, "yes")
			radio(assessments.RungField(it.ID), "3")
		case assessments.YesPartialNo:
			radio(it.ID, "partial")
		case assessments.Scale:
			radio(it.ID, "3")
		case assessments.Checklist:
			if !it.Optional {
				radio(it.ID, it.Options[0].ID)
			}
		case assessments.Ratio:
			tab.fill(`input[name="`+it.ID+`"]`, "20")
		}
	}
}

// checkPeerGroups reads the benchmark groups as shown and fails on any
// group of fewer than five businesses with figures.
func checkPeerGroups(t *testing.T, tab *tab) {
	t.Helper()
	groups, err := evaluate[[]string](tab, `Array.from(document.querySelectorAll(".peer-groups > li")).map(function (li) {
		return li.hasAttribute("data-n") ? li.getAttribute("data-n") : "withheld";
	})`)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 4 {
		t.Fatalf("benchmark groups %v, want four", groups)
	}
	shown := 0
	for _, g := range groups {
		if g == "withheld" {
			continue
		}
		if n, err := strconv.Atoi(g); err != nil || n < assessments.MinGroup {
			t.Errorf("a benchmark group of %q businesses is shown", g)
		}
		shown++
	}
	if shown == 0 {
		t.Error("no benchmark group shown although the demo peers are there")
	}
}

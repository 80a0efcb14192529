package server

import (
	"net/http"
	"testing"

	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// inViewJS says, for the field the page's address points at (#id, as after
// following a link of the error summary), whether its label (or its group's
// legend), hint, error and the field itself are all inside the viewport.
const inViewJS = `(() => {
	const field = document.getElementById(decodeURIComponent(location.hash.slice(1)));
	if (!field) return ["no element " + location.hash];
	const group = field.closest("fieldset");
	const label = (group && group.querySelector("legend")) || (field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]'));
	const name = (group && group.getAttribute("aria-describedby")) || field.getAttribute("aria-describedby") || "";
	const parts = [["the field", field], ["its label", label]];
	for (const id of name.split(" ").filter(Boolean)) parts.push(["#" + id, document.getElementById(id)]);
	const out = [];
	for (const [what, el] of parts) {
		if (!el) { out.push(what + " is missing"); continue; }
		const r = el.getBoundingClientRect();
		if (r.top < 0 || r.bottom > innerHeight) out.push(what + " is out of view: top " + Math.round(r.top) + ", bottom " + Math.round(r.bottom) + ", viewport " + innerHeight);
	}
	return out;
})()`

// TestBrowserErrorSummaryShowsTheField sends a lesson's quiz unanswered on
// a phone, with JavaScript off, then follows the error summary's first
// link: the summary sits beside the quiz (not above the whole lesson), and
// the question it leads to is on screen with its legend and its error, not
// scrolled to the very top with its words cut off.
func TestBrowserErrorSummaryShowsTheField(t *testing.T) {
	sharedBrowser(t)
	const slug = "dich-vu-cong-truc-tuyen"
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, dbtest.SQLite(t))
			tab := newTab(t, ts, atPhoneWidth, withoutScripts)
			tab.open("/"+string(lang)+"/lessons/"+slug).mustStatus(t, http.StatusOK)
			i, err := evaluate[int](tab, `[...document.forms].findIndex(f => f.closest("#quiz"))`)
			if err != nil || i < 0 {
				t.Fatalf("no quiz form: %d, %v", i, err)
			}
			tab.submit(i).mustStatus(t, http.StatusBadRequest)
			gap, err := evaluate[float64](tab, `(() => {
				const s = document.querySelector("#quiz .error-summary"), q = document.querySelector("#quiz fieldset");
				return s && q ? q.getBoundingClientRect().top - s.getBoundingClientRect().bottom : -1;
			})()`)
			if err != nil || gap < 0 || gap > 200 {
				t.Errorf("the error summary is not just above the quiz's first question (gap %v px, %v)", gap, err)
			}
			tab.click(".error-summary a")
			out, err := evaluate[[]string](tab, inViewJS)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range out {
				t.Errorf("after following the summary's first link: %s", o)
			}
			tab.mustPassAxe()
		})
	}
}

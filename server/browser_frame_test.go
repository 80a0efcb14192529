package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"

	"digiportal/database/dbtest"
	"digiportal/payments"
)

// The phone frame's limits (issue 19): at 360 px the header, closed menu
// included, is at most headerBudget CSS pixels tall, and every tap target
// is at least tapSize × tapSize.
const (
	headerBudget = 120
	tapSize      = 44
)

// frameJS measures the header and the tap targets of the page as laid out
// now, with the header's menu opened for the measure (a <details> element,
// so no script of the page is needed) and closed again after.
//
// A tap target is a link, button, summary or form control that is drawn.
// A radio button or checkbox is measured together with its label, which
// taps it too. A link inside a sentence (its parent holds words besides
// it) is left out, as WCAG 2.5.8 leaves it out: it cannot grow without
// breaking the line.
const frameJS = `(() => {
	const header = document.querySelector(".site-header");
	const height = header ? Math.round(header.getBoundingClientRect().height) : 0;
	const menu = document.querySelector("details.menu");
	const wasOpen = menu && menu.open;
	if (menu) menu.open = true;
	const small = [];
	const union = (a, b) => {
		const left = Math.min(a.left, b.left), top = Math.min(a.top, b.top);
		return {width: Math.max(a.right, b.right) - left, height: Math.max(a.bottom, b.bottom) - top};
	};
	for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
		let r = el.getBoundingClientRect();
		const style = getComputedStyle(el);
		if (r.width === 0 || r.height === 0 || style.visibility === "hidden" || r.right <= 0 || el.closest("[hidden]")) continue;
		if (el.matches(".skip-link")) continue;
		if (el.matches("input[type=radio], input[type=checkbox]")) {
			const label = el.closest("label") || (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'));
			if (label) r = union(r, label.getBoundingClientRect());
		}
		if (el.matches("a") && el.parentElement) {
			const own = el.textContent.trim(), around = el.parentElement.textContent.trim();
			if (around.length > own.length) continue;
		}
		if (r.width < ` + "%d" + ` - 0.5 || r.height < ` + "%d" + ` - 0.5) {
			const name = (el.textContent || el.value || el.getAttribute("aria-label") || el.name || "").trim().replace(/\s+/g, " ").slice(0, 40);
			small.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + String(el.className).split(" ").join(".") : "") + " " + JSON.stringify(name) + " " + Math.round(r.width) + "×" + Math.round(r.height));
		}
	}
	if (menu) menu.open = wasOpen;
	return {height, small};
})()`

// frame measures the header's height and lists the tap targets smaller
// than tapSize.
func (tb *tab) frame() (height int, small []string) {
	tb.t.Helper()
	v, err := evaluate[struct {
		Height int      `json:"height"`
		Small  []string `json:"small"`
	}](tb, fmt.Sprintf(frameJS, tapSize, tapSize))
	if err != nil {
		tb.t.Fatalf("measure the header and tap targets: %v", err)
	}
	return v.Height, v.Small
}

// checkPhoneFrame holds the page, laid out at phone width, to the frame's
// limits.
func checkPhoneFrame(t *testing.T, tab *tab) {
	t.Helper()
	height, small := tab.frame()
	if height > headerBudget {
		t.Errorf("the header is %d px tall at %d px wide, budget %d", height, phoneWidth, headerBudget)
	}
	for _, s := range small {
		t.Errorf("tap target smaller than %d×%d px: %s", tapSize, tapSize, s)
	}
}

// TestBrowserPrintNamesTheAgency prints (as print media) a report, a
// receipt and a page of figures: each names the managing agency on paper,
// while the screen's header, menu and footer are left off.
func TestBrowserPrintNamesTheAgency(t *testing.T) {
	sharedBrowser(t)
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	ts := newTestServer(t, db)
	for _, c := range []struct{ path, sel, agency string }{
		{"/vi/indicators", ".print-head", "Sở Khoa học và Công nghệ tỉnh Minh Họa"},
		{"/en/indicators/progress", ".print-head", "Department of Science and Technology, Minh Hoa Province"},
		{"/vi/payments/" + payments.DemoRefPaid + "/receipt", ".doc-issuer", "Sở Khoa học và Công nghệ tỉnh Minh Họa"},
		{"/en/payments/" + payments.DemoRefPaid + "/receipt", ".doc-issuer", "Department of Science and Technology, Minh Hoa Province"},
	} {
		t.Run(c.path, func(t *testing.T) {
			tab := newTab(t, ts.newVisitor(), withoutScripts)
			tab.open(c.path).mustStatus(t, http.StatusOK)
			if err := tab.run(command(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})); err != nil {
				t.Fatal(err)
			}
			got, err := evaluate[struct {
				Shown  []string `json:"shown"`
				Hidden []string `json:"hidden"`
			}](tab, `(() => {
				const seen = el => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
				const shown = [...document.querySelectorAll(".print-head, .doc-issuer, .report-head")].filter(seen).map(el => el.textContent.trim());
				const hidden = [".site-header", ".site-footer", "details.menu"].filter(s => seen(document.querySelector(s)));
				return {shown, hidden};
			})()`)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Shown) != 1 || !strings.Contains(got.Shown[0], c.agency) {
				t.Errorf("printed, the page names its issuer as %q, want once with %q", got.Shown, c.agency)
			}
			if len(got.Hidden) > 0 {
				t.Errorf("printed, the screen's %v still show", got.Hidden)
			}
		})
	}
}

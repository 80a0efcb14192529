package server

// What the browser checks measure on a loaded page beyond the network:
// accessibility with axe-core, and the width of the layout.

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// axePath is axe-core as `npm ci` installs it from the repository's
// package-lock.json, relative to this package's directory.
const axePath = "../node_modules/axe-core/axe.min.js"

// axe holds the axe-core source, read once.
var axe struct {
	once sync.Once
	src  string
	err  error
}

// overflowJS measures the page's width and names what makes it wider than
// the viewport: elements that stick out while their parent does not, and
// elements whose own content (say, unbroken text) spills out. What scrolls
// inside a box of its own is left out.
const overflowJS = `(function () {
	var vw = document.documentElement.clientWidth + 0.5, culprits = [];
	// clipped: a box between e and the body scrolls or hides e's overflow.
	// An absolutely positioned e escapes the boxes inside its containing
	// block, the nearest positioned ancestor.
	function clipped(e) {
		var pos = getComputedStyle(e).position, free = pos === "absolute" || pos === "fixed";
		for (var p = e.parentElement; p && p !== document.body; p = p.parentElement) {
			var cs = getComputedStyle(p);
			if (free && cs.position === "static") continue;
			if (pos === "fixed") return false;
			free = cs.position === "absolute" || cs.position === "fixed";
			if (cs.overflowX !== "visible") return true;
		}
		return false;
	}
	function out(e) { return e.getBoundingClientRect().right > vw; }
	var found = [];
	document.querySelectorAll("body *").forEach(function (e) {
		if (clipped(e)) return;
		var r = e.getBoundingClientRect(), right = 0, pos = getComputedStyle(e).position;
		if (out(e) && (!out(e.parentElement) || pos === "absolute" || pos === "fixed")) {
			right = r.right;
		} else if (!out(e) && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "visible") {
			right = r.left + e.scrollWidth;
		}
		if (right > vw) found.push({e: e, right: right});
	});
	found.forEach(function (f) {
		var inner = found.some(function (g) { return g.e !== f.e && f.e.contains(g.e); });
		if (!inner && culprits.length < 5) culprits.push(Math.round(f.right) + " px: " + f.e.outerHTML.slice(0, 120));
	});
	return {width: document.documentElement.scrollWidth, culprits: culprits};
})()`

// overflow returns how wide the loaded page is, and the elements that make
// it wider than the viewport.
func (tb *tab) overflow() (width int, culprits []string) {
	tb.t.Helper()
	v, err := evaluate[struct {
		Width    int      `json:"width"`
		Culprits []string `json:"culprits"`
	}](tb, overflowJS)
	if err != nil {
		tb.t.Fatalf("measure the page width: %v", err)
	}
	return v.Width, v.Culprits
}

// axeTags are the rule sets of WCAG 2.2 level AA as axe-core tags them.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeViolation is one failed axe-core rule with the elements that fail it.
type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "axe %s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    at %s: %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
	}
	return b.String()
}

// axeSource returns axe-core's script, read once from node_modules.
func axeSource(t testing.TB) string {
	t.Helper()
	axe.once.Do(func() {
		b, err := os.ReadFile(axePath)
		axe.src, axe.err = string(b), err
	})
	if axe.err != nil {
		toolMissing(t, "axe-core is not in node_modules ("+axe.err.Error()+"; run npm ci at the repository root)")
	}
	return axe.src
}

// axeRun runs axe-core on the document for axeTags and returns the
// violations in a shape that survives JSON.
var axeRun = `axe.run(document, {runOnly: {type: "tag", values: ` + jsArray(axeTags) + `}, resultTypes: ["violations"]})
	.then(function (r) {
		return r.violations.map(function (v) {
			return {id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
				nodes: v.nodes.map(function (n) {
					return {target: n.target.join(" "), html: n.html, summary: n.failureSummary || ""};
				})};
		});
	})`

func jsArray(ss []string) string {
	return `["` + strings.Join(ss, `", "`) + `"]`
}

// axe injects axe-core into the loaded page by evaluation (never by a
// <script>, which the CSP would block anyway) and runs it.
//
// In a tab without scripts an evaluation runs, but a promise that waits
// for a timer never settles, and axe's does; so scripts come back on for
// the run (the page's own scripts, skipped at load, stay unrun).
func (tb *tab) axe() ([]axeViolation, error) {
	src := axeSource(tb.t)
	if tb.noScript {
		if err := tb.run(command(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})); err != nil {
			return nil, err
		}
		defer tb.run(command(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	}
	if _, err := evaluate[chromedp.Void](tb, src); err != nil {
		return nil, fmt.Errorf("inject axe-core: %w", err)
	}
	v, err := evaluate[[]axeViolation](tb, axeRun, chromedp.EvalAwaitPromise)
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	return v, nil
}

// mustPassAxe fails the test with every axe-core violation of WCAG 2.2 AA
// on the loaded page, each with its help and the elements at fault.
func (tb *tab) mustPassAxe() {
	tb.t.Helper()
	vs, err := tb.axe()
	if err != nil {
		tb.t.Fatal(err)
	}
	for _, v := range vs {
		tb.t.Error(v)
	}
}

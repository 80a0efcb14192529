package server

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Charts are drawn on the server as SVG that reads without colour: lines
// carry point markers and direct value labels, the target is a dashed line
// with its own label, bars carry their value at their end. Every chart sits
// beside a table with the same indNumbers. No style attributes (the CSP allows
// none): only SVG presentation attributes.

// indPoint is one value of a chart: its label and value (NaN for none),
// with the value already formatted for the page's language.
type indPoint struct {
	Label  string
	Value  float64
	Text   string
	Target float64 // a point's own target, for the progress chart; NaN for none
}

// svgEsc escapes text for SVG.
func svgEsc(s string) string { return html.EscapeString(s) }

// lineChart draws a trend in percent (0–100) with a target line.
func lineChart(id, title, desc string, pts []indPoint, target float64, targetText string) template.HTML {
	const w, h, left, right, top, bottom = 640.0, 260.0, 44.0, 70.0, 16.0, 40.0
	pw, ph := w-left-right, h-top-bottom
	x := func(i int) float64 {
		if len(pts) <= 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(len(pts)-1)
	}
	y := func(v float64) float64 { return top + ph*(1-math.Max(0, math.Min(100, v))/100) }
	var b strings.Builder
	svgOpen(&b, id, title, desc, w, h)
	for _, g := range []float64{0, 25, 50, 75, 100} {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#b1b4b6" stroke-width="1"/>`, left, left+pw, y(g), y(g))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%.0f%%</text>`, left-6, y(g)+4, g)
	}
	if !math.IsNaN(target) {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"/>`, left, left+pw, y(target), y(target))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`, left+pw, y(target)+16, svgEsc(targetText))
	}
	var path []string
	flush := func() {
		if len(path) > 1 {
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#0b4f8a" stroke-width="3"/>`, strings.Join(path, " "))
		}
		path = path[:0]
	}
	lastI := -1
	for i, p := range pts {
		if math.IsNaN(p.Value) {
			flush()
			continue
		}
		path = append(path, fmt.Sprintf("%.1f,%.1f", x(i), y(p.Value)))
		lastI = i
	}
	flush()
	step := 1 + len(pts)/8
	for i, p := range pts {
		if i%step == 0 || i == len(pts)-1 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x(i), h-bottom+18, svgEsc(p.Label))
		}
		if math.IsNaN(p.Value) {
			continue
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="#fff" stroke="#0b4f8a" stroke-width="2"/>`, x(i), y(p.Value))
	}
	if lastI >= 0 {
		p := pts[lastI]
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="13" font-weight="700" fill="#0b0c0c">%s</text>`, x(lastI)+8, y(p.Value)-8, svgEsc(p.Text))
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}

// barChart draws one horizontal bar per point (percent, 0–100) with its
// value at the end and a dashed target line.
func barChart(id, title, desc string, pts []indPoint, target float64, targetText string) template.HTML {
	const w, label, right, row, top = 640.0, 190.0, 70.0, 26.0, 24.0
	pw := w - label - right
	h := top + row*float64(len(pts)) + 8
	x := percentScale(label, pw)
	var b strings.Builder
	svgOpen(&b, id, title, desc, w, h)
	for i, p := range pts {
		yy := top + row*float64(i)
		name := shorten(p.Label, 26)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`, label-6, yy+14, svgEsc(name))
		if !math.IsNaN(p.Value) {
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#0b4f8a"/>`, label, yy+3, x(p.Value)-label, row-8)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`, x(p.Value)+4, yy+14, svgEsc(p.Text))
	}
	if !math.IsNaN(target) {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#fff" stroke-width="5"/>`, x(target), x(target), top-6, h-4)
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"/>`, x(target), x(target), top-6, h-4)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x(target), top-10, svgEsc(targetText))
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}

// progressChart draws one bar per indicator with its own target marked by a
// dashed tick, and "value / target" written at the end of the bar.
func progressChart(id, title, desc string, pts []indPoint) template.HTML {
	const w, label, right, row, top = 640.0, 230.0, 110.0, 34.0, 8.0
	pw := w - label - right
	h := top + row*float64(len(pts)) + 8
	x := percentScale(label, pw)
	var b strings.Builder
	svgOpen(&b, id, title, desc, w, h)
	for i, p := range pts {
		yy := top + row*float64(i)
		name := shorten(p.Label, 34)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`, label-6, yy+18, svgEsc(name))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#b1b4b6"/>`, label, yy+6, pw, row-14)
		if !math.IsNaN(p.Value) {
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#0b4f8a"/>`, label, yy+6, x(p.Value)-label, row-14)
		}
		if !math.IsNaN(p.Target) {
			fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#fff" stroke-width="7"/>`, x(p.Target), x(p.Target), yy+2, yy+row-4)
			fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#0b0c0c" stroke-width="3" stroke-dasharray="4 2"/>`, x(p.Target), x(p.Target), yy+2, yy+row-4)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`, label+pw+6, yy+18, svgEsc(p.Text))
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}

// svgOpen starts an accessible chart: the SVG element named by its title and
// description, and a group carrying the text defaults.
func svgOpen(b *strings.Builder, id, title, desc string, w, h float64) {
	fmt.Fprintf(b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, w, h, id, id)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc><g font-size="12" fill="#0b0c0c">`, id, svgEsc(title), id, svgEsc(desc))
}

// percentScale maps a percentage (clamped to 0–100; NaN to 0) onto a bar
// that starts at left and is width long.
func percentScale(left, width float64) func(float64) float64 {
	return func(v float64) float64 {
		if math.IsNaN(v) {
			return left
		}
		return left + width*math.Max(0, math.Min(100, v))/100
	}
}

// shorten cuts a label to at most n characters, marking the cut.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

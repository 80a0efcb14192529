package server

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"unicode/utf8"

	"digiportal/i18n"
	"digiportal/indicators"
)

// Charts are drawn on the server as SVG that reads without colour: lines
// carry point markers and direct value labels, the target is a dashed line
// named in a legend, bars carry their value at their end. Every chart sits
// beside a table with the same indNumbers. No style attributes (the CSP allows
// none): only SVG presentation attributes.
//
// They are drawn for a phone: the viewBox is chartWidth units wide, about a
// 360 px phone's column, and the stylesheet keeps a chart at most 30rem wide,
// so a label of chartFont units is drawn at 12.5 px or more on a phone and
// never at more than about 18 px on a wide screen. Nothing is placed by
// guesswork about the font: every label gets a row or a gap of its own, sized
// by chartCharWidth, so labels cannot overlap whatever the viewport.

const (
	chartWidth = 340.0 // the viewBox width of every chart
	chartFont  = 13.0  // the labels' font size, in viewBox units
	// chartCharWidth bounds the average width of a label's characters in
	// viewBox units: in DejaVu Sans, the widest of the fonts a page may
	// use, digits are 0.64 em and few letters pass 0.8 em.
	chartCharWidth = chartFont * 0.8
	// chartNameRunes is the longest name a bar's own row holds.
	chartNameRunes = 30
)

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

// labelWidth bounds the drawn width of s, in viewBox units.
func labelWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) * chartCharWidth }

// tickStep is how many points apart the month labels of a line chart with
// n points of spacing units each must be so that labels as wide as widest
// keep a gap between them: 1 labels every month.
func tickStep(n int, spacing, widest float64) int {
	if n <= 1 || spacing <= 0 {
		return 1
	}
	return max(1, int(math.Ceil((widest+8)/spacing)))
}

// lineChart draws a trend in percent (0–100), with a target line named in a
// legend below the month labels. The months are labelled from the latest
// back, as many as fit side by side.
func lineChart(id, title, desc string, pts []indPoint, target float64, targetText string) template.HTML {
	const left, right, top, plotH = 44.0, 30.0, 24.0, 150.0
	w := chartWidth
	pw := w - left - right
	axis := top + plotH // the 0 % line
	h := axis + 30
	if !math.IsNaN(target) {
		h += 24
	}
	x := func(i int) float64 {
		if len(pts) <= 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(len(pts)-1)
	}
	y := func(v float64) float64 { return top + plotH*(1-math.Max(0, math.Min(100, v))/100) }
	var b strings.Builder
	svgOpen(&b, id, title, desc, w, h)
	for _, g := range []float64{0, 25, 50, 75, 100} {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#b1b4b6" stroke-width="1"/>`, left, left+pw, y(g), y(g))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%.0f%%</text>`, left-6, y(g)+4, g)
	}
	if !math.IsNaN(target) {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"/>`, left, left+pw, y(target), y(target))
		ly := h - 10
		fmt.Fprintf(&b, `<line x1="0" x2="28" y1="%.1f" y2="%.1f" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"/>`, ly-4, ly-4)
		fmt.Fprintf(&b, `<text x="34" y="%.1f">%s</text>`, ly, svgEsc(targetText))
	}
	var path []string
	flush := func() {
		if len(path) > 1 {
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#0b4f8a" stroke-width="3"/>`, strings.Join(path, " "))
		}
		path = path[:0]
	}
	lastI := -1
	widest := 0.0
	for i, p := range pts {
		widest = max(widest, labelWidth(p.Label))
		if math.IsNaN(p.Value) {
			flush()
			continue
		}
		path = append(path, fmt.Sprintf("%.1f,%.1f", x(i), y(p.Value)))
		lastI = i
	}
	flush()
	spacing := 0.0
	if len(pts) > 1 {
		spacing = pw / float64(len(pts)-1)
	}
	step := tickStep(len(pts), spacing, widest)
	b.WriteString(`<g text-anchor="middle">`)
	for i, p := range pts {
		if (len(pts)-1-i)%step == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f">%s</text>`, x(i), axis+22, svgEsc(p.Label))
		}
	}
	b.WriteString(`</g><g fill="#fff" stroke="#0b4f8a" stroke-width="2">`)
	for i, p := range pts {
		if !math.IsNaN(p.Value) {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4"/>`, x(i), y(p.Value))
		}
	}
	b.WriteString(`</g>`)
	if lastI >= 0 {
		// The latest value sits above its point, ending there, where
		// neither the axis labels (left) nor the month labels (below) are.
		// Near the axis (only the first months have values), it starts at
		// its point instead.
		p := pts[lastI]
		anchor, lx := "end", x(lastI)+4
		if lx-labelWidth(p.Text) < left {
			anchor, lx = "start", x(lastI)+8
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="%s" font-weight="700">%s</text>`, lx, y(p.Value)-10, anchor, svgEsc(p.Text))
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}

// barChart draws one bar per point (percent, 0–100): the unit's name on a
// row of its own, the bar below it with its value at its end, and the
// target as a dashed mark across each bar, named in a legend above.
func barChart(id, title, desc string, pts []indPoint, target float64, targetText string) template.HTML {
	const right, row = 64.0, 42.0
	top := 6.0
	if !math.IsNaN(target) {
		top = 28
	}
	pw := chartWidth - right
	h := top + row*float64(len(pts))
	x := percentScale(0, pw)
	var b strings.Builder
	svgOpen(&b, id, title, desc, chartWidth, h)
	if !math.IsNaN(target) {
		fmt.Fprintf(&b, `<line x1="0" x2="28" y1="10" y2="10" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"/>`)
		fmt.Fprintf(&b, `<text x="34" y="14">%s</text>`, svgEsc(targetText))
	}
	var marks []float64
	b.WriteString(`<g fill="#0b4f8a">`)
	for i, p := range pts {
		yy := top + row*float64(i)
		if !math.IsNaN(p.Value) {
			fmt.Fprintf(&b, `<rect y="%.0f" width="%.1f" height="14"/>`, yy+20, x(p.Value))
		}
	}
	b.WriteString(`</g>`)
	for i, p := range pts {
		yy := top + row*float64(i)
		fmt.Fprintf(&b, `<text x="2" y="%.0f">%s</text><text x="%.1f" y="%.0f">%s</text>`, yy+13, svgEsc(shorten(p.Label, chartNameRunes)), x(p.Value)+4, yy+32, svgEsc(p.Text))
		if !math.IsNaN(target) {
			marks = append(marks, x(target), yy+17)
		}
	}
	targetMarks(&b, marks)
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}

// progressChart draws one bar per indicator: its name on a row of its own,
// below it the bar in its frame with the indicator's own target marked by a
// dashed tick, and "value / target" written after the frame.
func progressChart(id, title, desc string, pts []indPoint) template.HTML {
	const row = 42.0
	widest := 0.0
	for _, p := range pts {
		widest = max(widest, labelWidth(p.Text))
	}
	// The frame leaves room for the widest "value / target", but stays at
	// least half the chart wide.
	pw := max(chartWidth/2, chartWidth-widest-6)
	h := 6 + row*float64(len(pts))
	x := percentScale(0, pw)
	var b strings.Builder
	svgOpen(&b, id, title, desc, chartWidth, h)
	var marks []float64
	for i, p := range pts {
		yy := 6 + row*float64(i)
		fmt.Fprintf(&b, `<text x="2" y="%.0f">%s</text>`, yy+13, svgEsc(shorten(p.Label, chartNameRunes)))
		fmt.Fprintf(&b, `<rect x="0.5" y="%.0f" width="%.1f" height="14" fill="none" stroke="#b1b4b6"/>`, yy+20, pw-1)
		if !math.IsNaN(p.Value) {
			fmt.Fprintf(&b, `<rect y="%.0f" width="%.1f" height="14" fill="#0b4f8a"/>`, yy+20, x(p.Value))
		}
		if !math.IsNaN(p.Target) {
			marks = append(marks, x(p.Target), yy+17)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f">%s</text>`, pw+6, yy+32, svgEsc(p.Text))
	}
	targetMarks(&b, marks)
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}

// targetMarks draws a target across each bar as a dashed tick 20 units
// tall with a white halo, so it shows on a bar and off it; xy holds each
// tick's x and top y in turn. One path draws them all, as a page may have
// many bars.
func targetMarks(b *strings.Builder, xy []float64) {
	if len(xy) == 0 {
		return
	}
	var d strings.Builder
	for i := 0; i+1 < len(xy); i += 2 {
		fmt.Fprintf(&d, "M%.1f %.0fv20", xy[i], xy[i+1])
	}
	fmt.Fprintf(b, `<path d="%s" stroke="#fff" stroke-width="6"/><path d="%s" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="4 2"/>`, d.String(), d.String())
}

// svgOpen starts an accessible chart: the SVG element named by its title and
// description, and a group carrying the text defaults.
func svgOpen(b *strings.Builder, id, title, desc string, w, h float64) {
	fmt.Fprintf(b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, w, h, id, id)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc><g font-size="%.0f" fill="#0b0c0c">`, id, svgEsc(title), id, svgEsc(desc), chartFont)
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

// chartMonth words a month briefly for a chart's axis, in the page's
// language ("T10/26", "Oct 26"); the table beside the chart has the full
// form.
func chartMonth(l *i18n.Localizer, m indicators.Period) string {
	return l.T("quality.chart.month", "Name", l.T(fmt.Sprintf("quality.chart.mon.%d", m.N)), "YY", fmt.Sprintf("%02d", m.Year%100))
}

package content

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits of a lesson's SVG picture. A lesson page, pictures included, must
// stay within the portal's 50 kB budget, so a picture is a few simple shapes
// and words in the system font, not a screenshot. It is drawn at most
// MaxSVGWidth CSS pixels wide, which fits a 360-pixel phone beside the
// page's margins, and its words are at least MinSVGFontPx pixels high there.
const (
	MaxSVGBytes  = 6 * 1024
	MaxSVGWidth  = 320
	MinSVGFontPx = 14
)

// svgElements are the elements a lesson picture may use: shapes, groups
// and words. Everything else is refused, which keeps out script,
// foreignObject (HTML inside the picture), links, embedded or external
// images, styles and animation. A picture is served from the portal and may
// be opened on its own, as a document, so this matters even though an
// <img> never runs a picture's script.
var svgElements = setOf("svg", "g", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path",
	"text", "tspan", "title", "desc")

// svgAttributes are the attributes a lesson picture may use: geometry and
// presentation. Left out on purpose: href and xlink:href (a picture loads
// nothing else), on… event handlers, and style (the portal's Content
// Security Policy refuses inline styles; presentation attributes do the
// same job).
var svgAttributes = setOf("xmlns", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2",
	"cx", "cy", "r", "rx", "ry", "d", "points", "dx", "dy", "transform",
	"fill", "fill-rule", "fill-opacity", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
	"stroke-dasharray", "opacity", "font-size", "font-family", "font-weight", "text-anchor",
	"role", "aria-hidden", "lang")

// textElements draw words, so their font size is checked; wordElements may
// hold words at all (a title or description is read, not drawn).
var (
	textElements = setOf("text", "tspan")
	wordElements = setOf("text", "tspan", "title", "desc")
)

const svgNamespace = "http://www.w3.org/2000/svg"

// svgInfo is what validation learns about a picture besides its problems.
type svgInfo struct {
	hasText bool // it holds words, so it belongs to one language
	// inline is the picture written again from the tokens that were
	// checked: elements, attributes and words only, with no comments,
	// processing instructions or CDATA sections. A browser parses a
	// picture put inside an HTML page by HTML's rules, not XML's, and the
	// two disagree on those: "<!-->" ends a comment for HTML but not for
	// XML, and "<?xml >" ends at its first ">" for HTML, so the raw bytes
	// could carry markup past the check into the page.
	inline bytes.Buffer
}

// checkSVG returns what is wrong with a lesson picture, as sentences for the
// writer, and whether it holds words.
func checkSVG(b []byte) (*svgInfo, []string) {
	info := &svgInfo{}
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if len(b) > MaxSVGBytes {
		add("%d bytes, want at most %d: draw fewer, simpler shapes", len(b), MaxSVGBytes)
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	// scale turns the picture's units into CSS pixels as drawn; fonts holds
	// the font size in force at each open element.
	var scale float64
	var fonts []float64
	var stack []string
	roots := 0
	open := false // the last start tag written waits for ">" or "/>"
	closeTag := func() {
		if open {
			info.inline.WriteString(">")
			open = false
		}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if roots == 0 {
				add(`the root must be <svg xmlns="%s">`, svgNamespace)
			}
			break
		}
		if err != nil {
			add("not well-formed XML: %v", err)
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if len(stack) == 0 {
				if name != "svg" || t.Name.Space != svgNamespace {
					add(`the root must be <svg xmlns="%s">`, svgNamespace)
					return info, problems
				}
				if roots++; roots > 1 {
					add("one <svg> only: a second one follows the first")
				}
				scale = svgScale(t, add)
			}
			closeTag()
			info.inline.WriteString("<" + name)
			open = true
			if !svgElements[name] || (t.Name.Space != svgNamespace && t.Name.Space != "") {
				add("element <%s> is not allowed: use shapes, groups and text only", name)
			}
			font := 0.0
			if len(fonts) > 0 {
				font = fonts[len(fonts)-1]
			}
			for _, a := range t.Attr {
				key := a.Name.Local
				if a.Name.Space != "" {
					key = a.Name.Space + ":" + key // xmlns:xlink, xlink:href…
				}
				if !svgAttributes[key] {
					add("attribute %s on <%s> is not allowed", key, name)
					continue
				}
				if strings.Contains(strings.ToLower(a.Value), "url(") {
					add("attribute %s on <%s> refers to something else; a picture loads nothing", key, name)
				}
				if strings.Contains(a.Value, `\`) {
					add(`attribute %s on <%s> holds a backslash: write values plainly, without CSS escapes such as u\72l(`, key, name)
				}
				info.inline.WriteString(" " + key + `="`)
				xml.EscapeText(&info.inline, []byte(a.Value))
				info.inline.WriteString(`"`)
				if key == "font-size" {
					f, err := strconv.ParseFloat(strings.TrimSuffix(a.Value, "px"), 64)
					if err != nil {
						add("font-size %q on <%s>: give a number", a.Value, name)
					}
					font = f
				}
			}
			if textElements[name] {
				info.hasText = true
				if font*scale < MinSVGFontPx-0.01 {
					add("text %s is %.1f px high as drawn, want at least %d: set font-size (on it or a group around it)", lineOf(dec), font*scale, MinSVGFontPx)
				}
			}
			fonts = append(fonts, font)
			stack = append(stack, name)
		case xml.EndElement:
			if open {
				info.inline.WriteString("/>")
				open = false
			} else {
				info.inline.WriteString("</" + t.Name.Local + ">")
			}
			stack = stack[:len(stack)-1]
			fonts = fonts[:len(fonts)-1]
		case xml.CharData:
			if (len(stack) == 0 || !wordElements[stack[len(stack)-1]]) && len(bytes.TrimSpace(t)) > 0 {
				add("words outside <text>: %q", strings.TrimSpace(string(t)))
			}
			if len(stack) > 0 && wordElements[stack[len(stack)-1]] {
				closeTag()
				xml.EscapeText(&info.inline, t)
			}
		case xml.Directive:
			add("no <!DOCTYPE> or other declarations: they can pull in other files")
		case xml.ProcInst:
			if t.Target != "xml" {
				add("no processing instructions (<?%s …?>)", t.Target)
			}
		}
	}
	return info, problems
}

// svgScale checks the root's size and returns CSS pixels per picture unit.
// The picture must say how wide it is drawn (width, at most MaxSVGWidth)
// and in what units it is drawn (viewBox), so that its words can be
// measured.
func svgScale(root xml.StartElement, add func(string, ...any)) float64 {
	var width, vbWidth float64
	for _, a := range root.Attr {
		switch a.Name.Local {
		case "width":
			w, err := strconv.ParseFloat(strings.TrimSuffix(a.Value, "px"), 64)
			if err != nil || w <= 0 {
				add("width %q: give a number of pixels", a.Value)
			}
			width = w
		case "viewBox":
			f := strings.Fields(strings.ReplaceAll(a.Value, ",", " "))
			if len(f) == 4 {
				vbWidth, _ = strconv.ParseFloat(f[2], 64)
			}
		}
	}
	if width <= 0 || width > MaxSVGWidth {
		add("width %v: set width on <svg>, at most %d (the picture must fit a phone)", width, MaxSVGWidth)
	}
	if vbWidth <= 0 {
		add(`viewBox is missing: set it on <svg>, such as viewBox="0 0 320 200"`)
		return 0
	}
	return min(width, MaxSVGWidth) / vbWidth
}

// lineOf says where the decoder is, for messages.
func lineOf(dec *xml.Decoder) string {
	line, _ := dec.InputPos()
	return fmt.Sprintf("on line %d", line)
}

// CheckSVG returns what is wrong with a picture under the same rules as a
// lesson's: only shapes and words, nothing loaded from elsewhere, no
// script, at most MaxSVGBytes. The site file's logo is held to them too.
func CheckSVG(b []byte) []string {
	_, problems := checkSVG(b)
	return problems
}

// InlineSVG checks a picture as CheckSVG does and, when it passes, returns
// it written again from what was checked, to be put inside an HTML page:
// elements, attributes and escaped words only. Inline the result, never
// the bytes as given.
func InlineSVG(b []byte) (string, []string) {
	info, problems := checkSVG(b)
	if len(problems) > 0 {
		return "", problems
	}
	return info.inline.String(), nil
}

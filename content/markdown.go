package content

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"digiportal/i18n"
)

// linkTargets are the lessons and paths an internal link may point at.
type linkTargets struct {
	lessons map[string]bool
	paths   map[string]bool
}

// portalSections are pages of the portal, outside the lessons, that a
// lesson may link to (the URLs DESIGN.md fixes), after /{lang}.
var portalSections = map[string]bool{
	"/": true, "/lessons": true, "/lessons/search": true, "/progress": true,
	"/assessment": true, "/payments": true, "/indicators": true,
}

// rendered is a lesson body turned into HTML and into plain text, with the
// pictures it shows.
type rendered struct {
	html   template.HTML
	plain  string
	images []string // file names in the lesson's folder, in order
}

// newMarkdown returns the renderer lessons use: CommonMark plus tables.
// goldmark leaves raw HTML out unless told otherwise, and it drops
// javascript: and similar dangerous link targets, so a lesson cannot inject
// markup or script into the page. The one exception is the language span
// (see langSpans), which a renderer of our own writes from fixed strings.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(langSpanRenderer{}, 100))),
	)
}

// langSpans are the only raw HTML a lesson may hold: a span marking words in
// the other language, such as a Vietnamese button name quoted in an English
// lesson, so that screen readers read them with the right voice (WCAG 2.2,
// 3.1.2 Language of Parts). Written exactly like this, and closed with
// </span> in the same paragraph.
var langSpans = map[i18n.Lang]string{
	i18n.VI: `<span lang="en">`, // English words in a Vietnamese lesson
	i18n.EN: `<span lang="vi">`, // Vietnamese words in an English lesson
}

const spanClose = "</span>"

// rawHTML is the source text of an inline HTML node.
func rawHTML(n *ast.RawHTML, src []byte) string {
	var sb strings.Builder
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		sb.Write(seg.Value(src))
	}
	return sb.String()
}

// checkSpans reports what is wrong with the inline HTML among the children of
// n: anything but a language span of lang, a span inside a span, a closing
// tag without its opening one, or a span left open.
func checkSpans(n ast.Node, src []byte, lang i18n.Lang) []string {
	var problems []string
	open := false
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		raw, ok := c.(*ast.RawHTML)
		if !ok {
			continue
		}
		switch tag := rawHTML(raw, src); tag {
		case langSpans[lang]:
			if open {
				problems = append(problems, "a language span inside another one; close the first with </span>")
			}
			open = true
		case spanClose:
			if !open {
				problems = append(problems, "</span> without its "+langSpans[lang])
			}
			open = false
		default:
			problems = append(problems, fmt.Sprintf("raw HTML %q is not shown to readers; write Markdown instead (the only HTML allowed is %s…</span> around words in the other language)", tag, langSpans[lang]))
		}
	}
	if open {
		problems = append(problems, langSpans[lang]+" is not closed with </span> in the same paragraph")
	}
	return problems
}

// langSpanRenderer writes the language spans that validation let through and
// nothing for any other inline HTML. It writes fixed strings, never the
// lesson's own bytes, so whatever a lesson holds cannot reach the page as
// markup.
type langSpanRenderer struct{}

// RegisterFuncs takes over inline HTML from goldmark's HTML renderer.
func (langSpanRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkSkipChildren, nil
		}
		switch rawHTML(n.(*ast.RawHTML), src) {
		case langSpans[i18n.VI]:
			_, _ = w.WriteString(langSpans[i18n.VI])
		case langSpans[i18n.EN]:
			_, _ = w.WriteString(langSpans[i18n.EN])
		case spanClose:
			_, _ = w.WriteString(spanClose)
		}
		return ast.WalkSkipChildren, nil
	})
}

// renderMarkdown renders a lesson body and reports what in it breaks the
// rules: raw HTML other than language spans, an h1 (the page has its title as h1), skipped heading
// levels, images without alt text or from elsewhere, links to pages that
// do not exist or to the other language.
//
// Images are files in the lesson's own folder (media lists them); their
// addresses are rewritten to MediaURL.
func renderMarkdown(src []byte, lang i18n.Lang, slug string, media map[string]bool, known linkTargets) (rendered, []string) {
	md := newMarkdown()
	doc := md.Parser().Parse(text.NewReader(src))
	var problems []string
	var plain strings.Builder
	var images []string
	level := 1
	line := func(n ast.Node) string {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return fmt.Sprintf("line %d of the body: ", 1+bytes.Count(src[:n.Lines().At(0).Start], []byte("\n")))
		}
		for p := n.Parent(); p != nil; p = p.Parent() {
			if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
				return fmt.Sprintf("line %d of the body: ", 1+bytes.Count(src[:p.Lines().At(0).Start], []byte("\n")))
			}
		}
		return ""
	}
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if n.Type() == ast.TypeBlock && plain.Len() > 0 {
			plain.WriteByte('\n')
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		for _, p := range checkSpans(n, src, lang) {
			problems = append(problems, line(n)+p)
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 1 {
				problems = append(problems, line(n)+"no # headings: the lesson title is the page's only h1; start sections with ##")
			} else if n.Level > level+1 {
				problems = append(problems, line(n)+fmt.Sprintf("heading level %d follows level %d; do not skip levels", n.Level, level))
			}
			level = n.Level
		case *ast.HTMLBlock:
			problems = append(problems, line(n)+"raw HTML is not shown to readers; write Markdown instead")
		case *ast.Image:
			if strings.TrimSpace(nodeText(n, src)) == "" {
				problems = append(problems, line(n)+fmt.Sprintf("image %q has no alt text (describe what it shows)", n.Destination))
			}
			if p := checkImage(string(n.Destination), lang, media); p != "" {
				problems = append(problems, line(n)+p)
			} else {
				images = append(images, string(n.Destination))
				n.Destination = []byte(MediaURL(slug, string(n.Destination)))
			}
		case *ast.Link:
			if p := checkLink(string(n.Destination), lang, known); p != "" {
				problems = append(problems, line(n)+p)
			}
			if strings.TrimSpace(nodeText(n, src)) == "" {
				problems = append(problems, line(n)+fmt.Sprintf("link to %q has no text", n.Destination))
			}
		case *ast.Text:
			plain.Write(n.Segment.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				plain.WriteByte(' ')
			}
		case *ast.String:
			plain.Write(n.Value)
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		problems = append(problems, err.Error())
	}
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, src, doc); err != nil {
		problems = append(problems, "render: "+err.Error())
	}
	return rendered{
		html:   template.HTML(buf.String()), //nolint:gosec // goldmark output with raw HTML off
		plain:  strings.TrimSpace(plain.String()),
		images: images,
	}, problems
}

// imageTypes are the image files a lesson folder may hold, by extension.
// SVG can carry script and links, so every SVG picture must pass checkSVG
// before the lessons load.
var imageTypes = map[string]string{
	".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
}

// MediaURL is the address an image of a lesson is served at.
func MediaURL(slug, file string) string { return "/media/lessons/" + slug + "/" + file }

// checkImage returns what is wrong with an image source in a file of lang,
// or "".
func checkImage(dest string, lang i18n.Lang, media map[string]bool) string {
	if strings.ContainsAny(dest, "/\\:?#") {
		return fmt.Sprintf("image %q: name a file in the lesson's own folder, such as buoc-1.svg", dest)
	}
	if _, ok := imageTypes[strings.ToLower(path.Ext(dest))]; !ok {
		return fmt.Sprintf("image %q: use SVG, PNG, JPEG or WebP", dest)
	}
	if !media[dest] {
		return fmt.Sprintf("image %q: no such file in the lesson's folder", dest)
	}
	if l, ok := pictureLang(dest); ok && l != lang {
		return fmt.Sprintf("image %q: its words are in %s; a %s.md file shows pictures named …-%s or without a language", dest, l, lang, lang)
	}
	return ""
}

// pictureLang returns the language of a picture with words, which its name
// says: buoc-1-vi.svg is Vietnamese, buoc-1-en.svg English; a picture
// without words (buoc-1.svg) serves both.
func pictureLang(file string) (i18n.Lang, bool) {
	base := strings.TrimSuffix(file, path.Ext(file))
	i := strings.LastIndexByte(base, '-')
	if i < 0 {
		return "", false
	}
	return i18n.Parse(base[i+1:])
}

// nodeText is the text inside an inline node, such as a link's words.
func nodeText(n ast.Node, src []byte) string {
	var sb strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			sb.Write(c.Segment.Value(src))
		case *ast.String:
			sb.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return sb.String()
}

// checkLink returns what is wrong with a link target, or "". Links to other
// sites must be http(s), mailto or tel; links inside the portal must be
// absolute paths in the file's own language to a page that exists.
func checkLink(dest string, lang i18n.Lang, known linkTargets) string {
	u, err := url.Parse(dest)
	if err != nil {
		return fmt.Sprintf("link %q is not a valid address", dest)
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return fmt.Sprintf("link %q has no host", dest)
		}
		return ""
	case "mailto", "tel":
		return ""
	case "":
	default:
		return fmt.Sprintf("link %q: only http, https, mailto and tel links are allowed", dest)
	}
	if u.Host != "" || !strings.HasPrefix(u.Path, "/") {
		return fmt.Sprintf("link %q: link inside the portal by absolute path, such as /%s/lessons/<slug>", dest, lang)
	}
	prefix := "/" + string(lang)
	rest, ok := strings.CutPrefix(u.Path, prefix)
	if !ok || (rest != "" && !strings.HasPrefix(rest, "/")) {
		return fmt.Sprintf("link %q: a %s.md file links to %s/… pages", dest, lang, prefix)
	}
	if rest == "" {
		rest = "/"
	}
	if portalSections[strings.TrimSuffix(rest, "/")] || rest == "/" {
		return ""
	}
	if slug, ok := strings.CutPrefix(rest, "/lessons/"); ok {
		if known.lessons[slug] {
			return ""
		}
		return fmt.Sprintf("link %q: there is no lesson %q", dest, slug)
	}
	if slug, ok := strings.CutPrefix(rest, "/paths/"); ok {
		if known.paths[slug] {
			return ""
		}
		return fmt.Sprintf("link %q: there is no learning path %q", dest, slug)
	}
	return fmt.Sprintf("link %q: no such page on the portal", dest)
}

package content

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"digiportal/i18n"
)

// fixture returns the valid fixture tree as an in-memory file system that a
// test may change.
func fixture(t testing.TB) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	root := os.DirFS("testdata/valid")
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		m[p] = &fstest.MapFile{Data: b}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fixtureLibrary loads the valid fixture or fails the test.
func fixtureLibrary(t testing.TB) *Library {
	t.Helper()
	lib, err := Load(fixture(t))
	if err != nil {
		t.Fatalf("Load(fixture): %v", err)
	}
	return lib
}

func TestLoadFixture(t *testing.T) {
	lib := fixtureLibrary(t)
	var slugs []string
	for _, l := range lib.Lessons {
		slugs = append(slugs, l.Slug)
	}
	if got, want := strings.Join(slugs, " "), "nop-ho-so mat-khau-manh nhan-dien-lua-dao"; got != want {
		t.Errorf("lesson order = %q, want %q", got, want)
	}
	l, ok := lib.Lesson("nop-ho-so")
	if !ok {
		t.Fatal("lesson nop-ho-so missing")
	}
	if got, want := l.In(i18n.EN).Title, "Filing a dossier on the Public Service Portal"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	if l.Level != LevelIntermediate || l.Minutes != 7 || l.Topic != "services" {
		t.Errorf("lesson = level %d, %d min, topic %q; want 2, 7, services", l.Level, l.Minutes, l.Topic)
	}
	body := string(l.In(i18n.VI).Body)
	for _, want := range []string{"<ol>", "<strong>dichvucong.gov.vn</strong>", `src="/media/lessons/nop-ho-so/buoc-1.png" alt="Màn hình đăng nhập"`, `href="/vi/lessons/mat-khau-manh"`} {
		if !strings.Contains(body, want) {
			t.Errorf("vi body lacks %q:\n%s", want, body)
		}
	}
	if got := l.In(i18n.VI).Quiz[0].Correct(); got != "b" {
		t.Errorf("q1 correct = %q, want b", got)
	}
	if p, ok := lib.Path("co-ban"); !ok || len(p.Lessons) != 3 {
		t.Errorf("path co-ban = %v, want 3 lessons", p)
	}
	if got := len(lib.PathsWith("mat-khau-manh")); got != 2 {
		t.Errorf("PathsWith(mat-khau-manh) = %d paths, want 2", got)
	}
	if got := len(lib.LessonsOf("safety")); got != 2 {
		t.Errorf("LessonsOf(safety) = %d, want 2", got)
	}
	if !strings.Contains(l.In(i18n.VI).Plain, "Đăng nhập bằng tài khoản định danh điện tử.") {
		t.Errorf("plain text lacks a step: %q", l.In(i18n.VI).Plain)
	}
}

func TestMedia(t *testing.T) {
	lib := fixtureLibrary(t)
	b, ctype, err := lib.Media("nop-ho-so", "buoc-1.png")
	if err != nil || ctype != "image/png" || len(b) == 0 {
		t.Errorf("Media(nop-ho-so, buoc-1.png) = %d bytes, %q, %v; want a PNG", len(b), ctype, err)
	}
	for _, tt := range [][2]string{{"nop-ho-so", "vi.md"}, {"nop-ho-so", "../catalog.toml"}, {"khong-co", "buoc-1.png"}, {"nop-ho-so", "khong-co.png"}} {
		if _, _, err := lib.Media(tt[0], tt[1]); err == nil {
			t.Errorf("Media(%q, %q) succeeded, want not found", tt[0], tt[1])
		}
	}
}

// TestLoadRejects breaks the fixture one rule at a time and checks that
// Load names the file and the rule.
func TestLoadRejects(t *testing.T) {
	const vi, en = "lessons/nop-ho-so/vi.md", "lessons/nop-ho-so/en.md"
	replace := func(file, old, new string) func(fstest.MapFS) {
		return func(m fstest.MapFS) {
			s := string(m[file].Data)
			if !strings.Contains(s, old) {
				panic("fixture lacks " + old)
			}
			m[file] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
		}
	}
	appendBody := func(file, text string) func(fstest.MapFS) {
		return func(m fstest.MapFS) {
			m[file] = &fstest.MapFile{Data: append(append([]byte(nil), m[file].Data...), text...)}
		}
	}
	tests := []struct {
		name   string
		change func(fstest.MapFS)
		file   string
		want   string
	}{
		{"missing English", func(m fstest.MapFS) { delete(m, en) }, en, "missing"},
		{"no front matter", replace(vi, "+++\ntitle", "title"), vi, "must start with a line +++"},
		{"unclosed front matter", replace(vi, "+++\n\n## Các bước", "\n## Các bước"), vi, "must start with a line +++"},
		{"unknown key", replace(vi, "order = 10", "order = 10\nauthor = \"x\""), vi, "unknown key"},
		{"bad TOML", replace(vi, "level = 2", "level = two"), vi, "front matter"},
		{"empty title", replace(vi, `title = "Nộp hồ sơ trên Cổng Dịch vụ công"`, `title = " "`), vi, "title is empty"},
		{"unknown topic", replace(vi, `topic = "services"`, `topic = "nope"`), vi, `topic "nope"`},
		{"level", replace(vi, "level = 2", "level = 4"), vi, "level 4"},
		{"minutes", replace(vi, "minutes = 7", "minutes = 12"), vi, "minutes 12"},
		{"competence", replace(vi, `["2.1", "2.3"]`, `["2.1", "2.7"]`), vi, `competence "2.7"`},
		{"competence twice", replace(vi, `["2.1", "2.3"]`, `["2.1", "2.1"]`), vi, "listed twice"},
		{"no competence", replace(vi, `["2.1", "2.3"]`, `[]`), vi, "at least one"},
		{"two correct", replace(vi, "  explanation = \"Giải thích a.\"", "  correct = true\n  explanation = \"Giải thích a.\""), vi, "2 options marked correct"},
		{"no explanation", replace(vi, `explanation = "Giải thích c."`, `explanation = ""`), vi, "explanation is empty"},
		{"verdict only", replace(vi, `explanation = "Giải thích c."`, `explanation = "Không đúng."`), vi, "only says right or wrong"},
		{"verdict only in English", replace(en, `explanation = "Explanation c."`, `explanation = "Not right."`), en, "only says right or wrong"},
		{"duplicate option", replace(vi, "id = \"c\"", "id = \"a\""), vi, "duplicate option id"},
		{"too few questions", func(m fstest.MapFS) {
			s := string(m[vi].Data)
			i, j := strings.Index(s, "[[quiz]]\nid = \"q3\""), strings.Index(s, "+++\n\n##")
			m[vi] = &fstest.MapFile{Data: []byte(s[:i] + s[j:])}
		}, vi, "quiz has 2 questions"},
		{"other correct answer in English", replace(en, "  explanation = \"Explanation a.\"\n\n  [[quiz.options]]\n  id = \"b\"\n  text = \"Option B\"\n  correct = true", "  correct = true\n  explanation = \"Explanation a.\"\n\n  [[quiz.options]]\n  id = \"b\"\n  text = \"Option B\""), en, "quiz structure"},
		{"question ids differ", replace(en, `id = "q2"`, `id = "q9"`), en, "quiz structure"},
		{"minutes differ", replace(en, "minutes = 7", "minutes = 6"), en, "minutes 6 differs"},
		{"competences differ", replace(en, `["2.1", "2.3"]`, `["2.3", "2.1"]`), en, "competences"},
		{"h1", appendBody(vi, "\n# Tiêu đề\n"), vi, "no # headings"},
		{"skipped level", appendBody(vi, "\n#### Nhỏ\n"), vi, "heading level 4 follows level 2"},
		{"raw HTML", appendBody(vi, "\n<script>alert(1)</script>\n"), vi, "raw HTML"},
		{"inline HTML", appendBody(vi, "\nChữ <b>đậm</b>.\n"), vi, "raw HTML"},
		{"image without alt", appendBody(vi, "\n![](buoc-1.png)\n"), vi, "no alt text"},
		{"image elsewhere", appendBody(vi, "\n![Ảnh](https://example.com/a.png)\n"), vi, "lesson's own folder"},
		{"image missing", appendBody(vi, "\n![Ảnh](buoc-9.png)\n"), vi, "no such file"},
		{"link to missing lesson", appendBody(vi, "\n[Bài](/vi/lessons/khong-co)\n"), vi, `no lesson "khong-co"`},
		{"link to other language", appendBody(vi, "\n[Bài](/en/lessons/mat-khau-manh)\n"), vi, "links to /vi/"},
		{"relative link", appendBody(vi, "\n[Bài](mat-khau-manh)\n"), vi, "absolute path"},
		{"javascript link", appendBody(vi, "\n[Bấm](javascript:alert(1))\n"), vi, "only http"},
		{"link to missing path", appendBody(en, "\n[Path](/en/paths/nope)\n"), en, `no learning path "nope"`},
		{"unknown portal page", appendBody(en, "\n[Page](/en/secret)\n"), en, "no such page"},
		{"bad slug", func(m fstest.MapFS) {
			m["lessons/Bad_Slug/vi.md"] = m[vi]
			m["lessons/Bad_Slug/en.md"] = m[en]
		}, "lessons/Bad_Slug", "folder name"},
		{"reserved slug", func(m fstest.MapFS) {
			m["lessons/search/vi.md"] = m[vi]
			m["lessons/search/en.md"] = m[en]
		}, "lessons/search", "folder name"},
		{"path with missing lesson", replace("catalog.toml", `lessons = ["mat-khau-manh", "nhan-dien-lua-dao"]`, `lessons = ["mat-khau-manh", "khong-co"]`), "catalog.toml", `lesson "khong-co" does not exist`},
		{"path lists twice", replace("catalog.toml", `lessons = ["mat-khau-manh", "nhan-dien-lua-dao"]`, `lessons = ["mat-khau-manh", "mat-khau-manh"]`), "catalog.toml", "twice"},
		{"duplicate topic", replace("catalog.toml", `id = "safety"`, `id = "services"`), "catalog.toml", "duplicate topic"},
		{"empty topic name", replace("catalog.toml", `name_en = "Staying safe online"`, `name_en = ""`), "catalog.toml", "name_en is empty"},
		{"no catalog", func(m fstest.MapFS) { delete(m, "catalog.toml") }, "catalog.toml", "cannot read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := fixture(t)
			tt.change(m)
			_, err := Load(m)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Load = %v, want a *ValidationError", err)
			}
			for _, p := range ve.Problems {
				if strings.HasPrefix(p.File, tt.file) && strings.Contains(p.Msg, tt.want) {
					return
				}
			}
			t.Errorf("problems lack %s: …%q; got:\n%v", tt.file, tt.want, err)
		})
	}
}

func TestRenderDropsRawHTML(t *testing.T) {
	doc, problems := renderMarkdown([]byte("## A\n\n<script>alert(1)</script>\n\nx <img src=x onerror=alert(1)> [y](javascript:alert(1))\n"), i18n.VI, "s", nil, linkTargets{})
	if len(problems) == 0 {
		t.Error("no problems reported for raw HTML")
	}
	for _, bad := range []string{"<script", "<img", "onerror", "javascript:"} {
		if strings.Contains(string(doc.html), bad) {
			t.Errorf("rendered HTML holds %q:\n%s", bad, doc.html)
		}
	}
}

func FuzzParseLessonFile(f *testing.F) {
	m := fixture(f)
	f.Add(m["lessons/nop-ho-so/vi.md"].Data)
	f.Add([]byte("+++\n+++\n"))
	f.Add([]byte("+++\ntitle = \"+++\"\n+++\nbody +++"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parseLessonFile(b)
		if err == nil && d == nil {
			t.Error("nil draft without error")
		}
	})
}

func TestDropVerdict(t *testing.T) {
	tests := []struct {
		lang    i18n.Lang
		in, out string
	}{
		{i18n.VI, "Đúng. Mã hồ sơ hiện trên màn hình.", "Mã hồ sơ hiện trên màn hình."},
		{i18n.VI, "Sai. Kẻ gian hay giả danh cán bộ.", "Kẻ gian hay giả danh cán bộ."},
		{i18n.VI, "Không đúng. Cổng không dùng mạng xã hội.", "Cổng không dùng mạng xã hội."},
		{i18n.VI, "Chưa đúng. Tên cán bộ không giúp gì.", "Tên cán bộ không giúp gì."},
		{i18n.VI, "Đúng rồi. Vậy là an toàn.", "Vậy là an toàn."},
		{i18n.VI, "Sai và nguy hiểm. Không dùng mã người lạ gửi.", "Nguy hiểm. Không dùng mã người lạ gửi."},
		{i18n.VI, "Chưa đủ. Trang giả cũng có logo.", "Chưa đủ. Trang giả cũng có logo."},
		{i18n.VI, "Sai lầm phổ biến là bấm link lạ.", "Sai lầm phổ biến là bấm link lạ."},
		{i18n.VI, "Đúng", "Đúng"},
		{i18n.VI, "Không đúng.", ""},
		{i18n.EN, "Right. The code is on screen.", "The code is on screen."},
		{i18n.EN, "Wrong and dangerous. Never use it.", "Dangerous. Never use it."},
		{i18n.EN, "Not right. It is private.", "It is private."},
		{i18n.EN, "Not quite. Look at the address.", "Look at the address."},
		{i18n.EN, "Rightly so, it is private.", "Rightly so, it is private."},
		{i18n.EN, "Not enough. Fakes copy logos.", "Not enough. Fakes copy logos."},
		// A verdict word of the other language is left alone.
		{i18n.EN, "Sai. x", "Sai. x"},
	}
	for _, tt := range tests {
		if got := dropVerdict(tt.lang, tt.in); got != tt.out {
			t.Errorf("dropVerdict(%s, %q) = %q, want %q", tt.lang, tt.in, got, tt.out)
		}
	}
}

// TestQuizExplanationsSayNoVerdict: the page says "right" or "wrong" before
// each explanation, so no loaded explanation may say it again.
func TestQuizExplanationsSayNoVerdict(t *testing.T) {
	lib, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lib.Lessons {
		for _, lang := range i18n.Langs() {
			for _, q := range l.In(lang).Quiz {
				for _, o := range q.Options {
					for _, v := range verdicts[lang] {
						if strings.HasPrefix(o.Explanation, v+".") || strings.HasPrefix(o.Explanation, v+verdictJoin[lang]) {
							t.Errorf("%s/%s %s %s: explanation %q still opens with a verdict", l.Slug, lang, q.ID, o.ID, o.Explanation)
						}
					}
				}
			}
		}
	}
}

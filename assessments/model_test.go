package assessments

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCurrentModelFollowsDecision1970(t *testing.T) {
	c, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	m := c.Current()
	wantPillars := []struct {
		id     string
		points int
	}{{"customer", 65}, {"strategy", 25}, {"infrastructure", 80}, {"operations", 65}, {"culture", 50}, {"data", 35}}
	if len(m.Pillars) != len(wantPillars) {
		t.Fatalf("got %d pillars, want 6", len(m.Pillars))
	}
	for i, w := range wantPillars {
		if p := m.Pillars[i]; p.ID != w.id || p.Points != w.points {
			t.Errorf("pillar %d = %s %d points, want %s %d", i, p.ID, p.Points, w.id, w.points)
		}
	}
	if m.TotalPoints() != 320 {
		t.Errorf("total points %d, want 320", m.TotalPoints())
	}
	wantLevels := []string{"Chưa khởi động", "Khởi động", "Bắt đầu", "Hình thành", "Nâng cao", "Dẫn dắt"}
	for i, w := range wantLevels {
		if got := m.Level(i).Name.VI; got != w {
			t.Errorf("level %d named %q, want %q", i, got, w)
		}
	}
	r := m.Rules
	if r.Level0Below != 10 || !equal(r.LevelUpper, []float64{20, 40, 60, 80}) ||
		!equal(r.Thresholds, []float64{20, 64, 128, 192, 256}) || !equal(r.MinPillars, []int{4, 4, 4, 5, 6}) {
		t.Errorf("rules %+v differ from the SME index's", r)
	}
	n := 0
	types := map[ItemType]int{}
	na := 0
	negative := false
	for _, p := range m.Pillars {
		n += len(p.Items)
		for _, it := range p.Items {
			types[it.Type]++
			if it.AllowNA {
				na++
			}
			for _, o := range it.Options {
				negative = negative || o.Weight < 0
			}
		}
	}
	if n < 30 {
		t.Errorf("%d questions, want at least 30", n)
	}
	for _, ty := range []ItemType{GateLadder, Checklist, YesPartialNo, Scale, Ratio} {
		if types[ty] == 0 {
			t.Errorf("no %s question", ty)
		}
	}
	if na == 0 || !negative {
		t.Errorf("want \"does not apply\" items (have %d) and a negative checklist option (%v)", na, negative)
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestLinkedLessonsExist checks every lesson a model links to against the
// lessons folder of the repository, so a renamed lesson breaks here and not
// in a visitor's browser.
func TestLinkedLessonsExist(t *testing.T) {
	c, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "content", "lessons")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	have := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() {
			have[e.Name()] = true
		}
	}
	slugs := c.LessonSlugs()
	if len(slugs) == 0 {
		t.Fatal("the model links to no lessons")
	}
	for _, s := range slugs {
		if !have[s] {
			t.Errorf("lesson %q is linked but content/lessons/%s does not exist", s, s)
		}
	}
}

func TestModelCheckRefusesMistakes(t *testing.T) {
	base, err := dataFiles.ReadFile("data/dbi-2021.toml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, from, to string }{
		{"unknown key", `weight = 3`, `wieght = 3`},
		{"missing English", `en = "Not started"`, `en = ""`},
		{"unknown type", `type = "scale"`, `type = "slider"`},
		{"na on a checklist", "id = \"cx-channels\"\ntype = \"checklist\"", "id = \"cx-channels\"\ntype = \"checklist\"\nallow_na = true\nna_text = { vi = \"x\", en = \"x\" }"},
		{"malformed lesson slug", `lessons = ["ban-hang-truc-tuyen"]`, `lessons = ["Bán hàng"]`},
		{"repeated id", `id = "cx-feedback"`, `id = "cx-care"`},
		{"falling bands", `{ from = 1.0, score = 0.2 },`, `{ from = 0.0, score = 0.2 },`},
	}
	for _, tt := range tests {
		if !strings.Contains(string(base), tt.from) {
			t.Fatalf("%s: %q not in the model file", tt.name, tt.from)
		}
		broken := strings.Replace(string(base), tt.from, tt.to, 1)
		if _, err := parseModel([]byte(broken)); err == nil {
			t.Errorf("%s: the model check accepted it", tt.name)
		}
	}
}

package assessments

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// CurrentModel is the version new responses are answered under. Older
// responses keep theirs; a new model is a new data file and a new constant.
const CurrentModel = "dbi-2021"

// ItemType is the kind of question, which decides its form and its score.
type ItemType string

// The question types of a model.
const (
	GateLadder   ItemType = "gate-ladder" // yes/no, then a five-rung ladder after yes
	Checklist    ItemType = "checklist"   // weighted options, a negative one allowed
	YesPartialNo ItemType = "ypn"         // yes / partly / no
	Scale        ItemType = "scale"       // 0–5
	Ratio        ItemType = "ratio"       // a percentage scored in bands
)

// Option is one box of a checklist.
type Option struct {
	ID     string  `toml:"id"`
	Weight float64 `toml:"weight"`
	// Exclusive marks "none of these": it cannot be ticked with another.
	Exclusive bool `toml:"exclusive"`
	Text      Text `toml:"text"`
}

// Band is a step of a ratio item: values from From (inclusive) up to the
// next band score Score.
type Band struct {
	From  float64 `toml:"from"`
	Score float64 `toml:"score"`
}

// Item is one question.
type Item struct {
	ID     string   `toml:"id"`
	Type   ItemType `toml:"type"`
	Weight float64  `toml:"weight"`
	// AllowNA offers "does not apply", which leaves the item out of both
	// sides of its pillar's mean.
	AllowNA bool `toml:"allow_na"`
	// Optional items (barriers and needs) are never required or scored.
	Optional   bool     `toml:"optional"`
	Text       Text     `toml:"text"`
	Hint       Text     `toml:"hint"`
	Short      Text     `toml:"short"` // a few words, for gaps and summaries
	LadderText Text     `toml:"ladder_text"`
	Ladder     []Text   `toml:"ladder"` // five rungs, lowest first
	Options    []Option `toml:"options"`
	Bands      []Band   `toml:"bands"`
	Low        Text     `toml:"low"`  // what 0 means on a scale
	High       Text     `toml:"high"` // what 5 means on a scale
	NAText     Text     `toml:"na_text"`
	Lessons    []string `toml:"lessons"`
}

// Pillar is one of the six areas of the index.
type Pillar struct {
	ID     string `toml:"id"`
	Points int    `toml:"points"` // the pillar's share of the index's points
	Name   Text   `toml:"name"`
	Short  Text   `toml:"short"`
	Intro  Text   `toml:"intro"`
	Items  []Item `toml:"items"`
}

// Level is a named level of the index, 0 to 5.
type Level struct {
	Level       int  `toml:"level"`
	Name        Text `toml:"name"`
	Description Text `toml:"description"`
}

// Rules are the model's level rules; see Rules.PillarLevel and
// Rules.OverallLevel for how they apply and where they come from.
type Rules struct {
	Level0Below float64   `toml:"level0_below"`
	LevelUpper  []float64 `toml:"level_upper"`
	Thresholds  []float64 `toml:"thresholds"`
	MinPillars  []int     `toml:"min_pillars"`
}

// Recommendation is the advice for a pillar that reached a level.
type Recommendation struct {
	Pillar  string   `toml:"pillar"`
	Level   int      `toml:"level"`
	Text    Text     `toml:"text"`
	Lessons []string `toml:"lessons"`
}

// Model is one version of the question model, read from its data file.
type Model struct {
	Version         string           `toml:"version"`
	Title           Text             `toml:"title"`
	Levels          []Level          `toml:"levels"`
	Rules           Rules            `toml:"rules"`
	Pillars         []Pillar         `toml:"pillars"`
	Context         []Item           `toml:"context"` // unscored: barriers and needs
	Recommendations []Recommendation `toml:"recommendations"`

	items map[string]*Item
}

// NeedsPage is the page after the pillars that holds the context items.
const NeedsPage = "needs"

//go:embed data/*.toml
var dataFiles embed.FS

// Catalog is every embedded model plus the profile data. It is read once
// at start-up; a data file that does not parse or check stops it. The areas
// are not data files: they are the units of the portal's province (Places).
type Catalog struct {
	models  map[string]*Model
	Profile *ProfileData
}

// LoadCatalog reads and checks the embedded data files.
func LoadCatalog() (*Catalog, error) {
	c := &Catalog{models: map[string]*Model{}}
	names, err := fs.Glob(dataFiles, "data/*.toml")
	if err != nil {
		return nil, fmt.Errorf("assessments: %w", err)
	}
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".toml")
		switch base {
		case "profile":
			c.Profile = &ProfileData{}
			err = decodeFile(name, c.Profile)
		default:
			var m *Model
			var b []byte
			if b, err = dataFiles.ReadFile(name); err == nil {
				m, err = parseModel(b)
			}
			if err == nil && m.Version != base {
				err = fmt.Errorf("version %q differs from the file name", m.Version)
			}
			if err == nil {
				c.models[m.Version] = m
			}
		}
		if err != nil {
			return nil, fmt.Errorf("assessments: %s: %w", path.Base(name), err)
		}
	}
	if c.Profile == nil {
		return nil, fmt.Errorf("assessments: data/profile.toml missing")
	}
	if err := c.Profile.check(); err != nil {
		return nil, fmt.Errorf("assessments: profile.toml: %w", err)
	}
	if c.models[CurrentModel] == nil {
		return nil, fmt.Errorf("assessments: current model %q missing", CurrentModel)
	}
	return c, nil
}

func decodeFile(name string, v any) error {
	b, err := dataFiles.ReadFile(name)
	if err != nil {
		return err
	}
	return decodeStrict(b, v)
}

// decodeStrict refuses keys the types do not know, so a misspelt key in a
// data file is an error rather than a silently missing text.
func decodeStrict(b []byte, v any) error {
	dec := toml.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// parseModel reads and checks one model file.
func parseModel(b []byte) (*Model, error) {
	m := &Model{}
	if err := decodeStrict(b, m); err != nil {
		return nil, err
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	return m, nil
}

// Model returns the model of a version.
func (c *Catalog) Model(version string) (*Model, bool) {
	m, ok := c.models[version]
	return m, ok
}

// Current returns the model new responses use.
func (c *Catalog) Current() *Model { return c.models[CurrentModel] }

// Versions lists the versions of every model, sorted.
func (c *Catalog) Versions() []string {
	out := make([]string, 0, len(c.models))
	for v := range c.models {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// LessonSlugs lists every lesson any model links to, sorted, for the
// check that each exists.
func (c *Catalog) LessonSlugs() []string {
	seen := map[string]bool{}
	var out []string
	add := func(slugs []string) {
		for _, s := range slugs {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	for _, m := range c.models {
		for _, p := range m.Pillars {
			for _, it := range p.Items {
				add(it.Lessons)
			}
		}
		for _, r := range m.Recommendations {
			add(r.Lessons)
		}
	}
	sort.Strings(out)
	return out
}

// Item returns the item with id, scored or context.
func (m *Model) Item(id string) (*Item, bool) {
	it, ok := m.items[id]
	return it, ok
}

// Pillar returns the pillar with id.
func (m *Model) Pillar(id string) (*Pillar, bool) {
	for i := range m.Pillars {
		if m.Pillars[i].ID == id {
			return &m.Pillars[i], true
		}
	}
	return nil, false
}

// Level returns a level's name and description; the model check keeps
// levels 0–5.
func (m *Model) Level(level int) *Level { return &m.Levels[level] }

// TotalPoints is the sum of the pillars' points (320 for dbi-2021).
func (m *Model) TotalPoints() int {
	t := 0
	for _, p := range m.Pillars {
		t += p.Points
	}
	return t
}

// Pages lists the question pages in order: one per pillar, then the needs
// page when the model has context items.
func (m *Model) Pages() []string {
	out := make([]string, 0, len(m.Pillars)+1)
	for _, p := range m.Pillars {
		out = append(out, p.ID)
	}
	if len(m.Context) > 0 {
		out = append(out, NeedsPage)
	}
	return out
}

// PageItems returns the items of a question page.
func (m *Model) PageItems(page string) ([]Item, bool) {
	if page == NeedsPage && len(m.Context) > 0 {
		return m.Context, true
	}
	if p, ok := m.Pillar(page); ok {
		return p.Items, true
	}
	return nil, false
}

// Recommendation returns the advice for pillar at level.
func (m *Model) Recommendation(pillar string, level int) (*Recommendation, bool) {
	for i := range m.Recommendations {
		if r := &m.Recommendations[i]; r.Pillar == pillar && r.Level == level {
			return r, true
		}
	}
	return nil, false
}

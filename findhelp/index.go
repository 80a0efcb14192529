package findhelp

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/uptrace/bun"

	"digiportal/indicators"
)

// Index holds today's communes and wards with their names folded once.
// It is rebuilt when the unit data changes (indicators.UnitsVersion, which
// every change of units writes in its own transaction, on any instance)
// or the day turns, and only then: a search reads one setting and walks
// the precomputed words.
type Index struct {
	db bun.IDB

	mu     sync.Mutex
	key    string // data version and day the entries are of
	built  bool
	units  []entry
	byCode map[string]int
}

// entry is one commune-level unit valid on the index's day.
type entry struct {
	unit     indicators.Unit
	province *indicators.Unit // nil when the table has none above it
	name     string           // folded official name: "phuong ba dinh"
	bare     string           // without the kind: "ba dinh"
	english  string           // folded English name: "ba dinh ward"
	words    []string         // the words of all three, once each
}

// Place is a unit as a search or a unit page shows it.
type Place struct {
	Unit     indicators.Unit
	Province *indicators.Unit
}

// Name is the unit's name in the page's language.
func (p Place) Name(english bool) string { return p.Unit.DisplayName(english) }

// ProvinceName is its province's name in the page's language, "" when unknown.
func (p Place) ProvinceName(english bool) string {
	if p.Province == nil {
		return ""
	}
	return p.Province.DisplayName(english)
}

// Result is what a search found: at most MaxResults places, best first,
// and how many matched in all.
type Result struct {
	Places []Place
	Total  int
}

// More reports whether more places matched than are shown.
func (r Result) More() bool { return r.Total > len(r.Places) }

// NewIndex returns an index over db's unit table, built at first use.
func NewIndex(db bun.IDB) *Index { return &Index{db: db} }

// current returns the entries for day, rebuilding them when the unit data
// changed since they were built.
func (x *Index) current(ctx context.Context, day string) ([]entry, map[string]int, error) {
	version, err := indicators.UnitsVersion(ctx, x.db)
	if err != nil {
		return nil, nil, fmt.Errorf("findhelp: %w", err)
	}
	key := version + "\x00" + day
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.built && x.key == key {
		return x.units, x.byCode, nil
	}
	units, byCode, err := build(ctx, x.db, day)
	if err != nil {
		return nil, nil, err
	}
	x.units, x.byCode, x.key, x.built = units, byCode, key, true
	return units, byCode, nil
}

// build reads the units valid on day and folds the commune-level ones.
func build(ctx context.Context, db bun.IDB, day string) ([]entry, map[string]int, error) {
	all, err := indicators.UnitsOn(ctx, db, day)
	if err != nil {
		return nil, nil, fmt.Errorf("findhelp: %w", err)
	}
	provinces := map[string]*indicators.Unit{}
	for i := range all {
		if all[i].Level == 1 {
			provinces[all[i].Code] = &all[i]
		}
	}
	var out []entry
	for _, u := range all {
		if u.Level != 3 {
			continue
		}
		e := entry{unit: u, name: strings.Join(Words(u.Name), " "), english: strings.Join(Words(u.DisplayName(true)), " ")}
		e.bare = bareName(e.name)
		if top, _, ok := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/"); ok {
			e.province = provinces[top]
		}
		for _, w := range strings.Fields(e.name + " " + e.english) {
			if !slices.Contains(e.words, w) {
				e.words = append(e.words, w)
			}
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	byCode := make(map[string]int, len(out))
	for i, e := range out {
		byCode[e.unit.Code] = i
	}
	return out, byCode, nil
}

// kindWords are the folded kinds a commune-level name begins with.
var kindWords = []string{"phuong ", "thi tran ", "dac khu ", "xa "}

// bareName is a folded name without its kind: "ba dinh" of "phuong ba dinh".
func bareName(folded string) string {
	for _, k := range kindWords {
		if rest, ok := strings.CutPrefix(folded, k); ok && rest != "" {
			return rest
		}
	}
	return folded
}

// Search finds the communes and wards valid on day whose names hold every
// word of q at the start of one of theirs ("ba dinh" finds Phường Ba
// Đình, "phuong ba" too), in Vietnamese or English, or whose code is q.
// The best come first: a name that is the query (with or without its
// kind), then one that begins with it, then the rest, each by name.
func (x *Index) Search(ctx context.Context, q Query, day string) (Result, error) {
	if q.Empty() {
		return Result{}, nil
	}
	units, _, err := x.current(ctx, day)
	if err != nil {
		return Result{}, err
	}
	type hit struct{ rank, i int }
	var hits []hit
	for i := range units {
		e := &units[i]
		if r, ok := e.match(q); ok {
			hits = append(hits, hit{r, i})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.rank - b.rank })
	res := Result{Total: len(hits)}
	for _, h := range hits[:min(len(hits), MaxResults)] {
		res.Places = append(res.Places, units[h.i].place())
	}
	return res, nil
}

// match reports whether e matches q, and how well (lower is better).
func (e *entry) match(q Query) (int, bool) {
	if q.Folded == e.unit.Code {
		return 0, true
	}
	for _, w := range q.Words {
		found := false
		for _, have := range e.words {
			if strings.HasPrefix(have, w) {
				found = true
				break
			}
		}
		if !found {
			return 0, false
		}
	}
	switch {
	case q.Folded == e.name || q.Folded == e.bare || q.Folded == e.english:
		return 0, true
	case strings.HasPrefix(e.name, q.Folded) || strings.HasPrefix(e.bare, q.Folded) || strings.HasPrefix(e.english, q.Folded):
		return 1, true
	}
	return 2, true
}

func (e *entry) place() Place { return Place{Unit: e.unit, Province: e.province} }

// Unit returns the commune or ward with code valid on day, ok false when
// there is none (an unknown code, a unit merged away, a province).
func (x *Index) Unit(ctx context.Context, code, day string) (Place, bool, error) {
	units, byCode, err := x.current(ctx, day)
	if err != nil {
		return Place{}, false, err
	}
	i, ok := byCode[code]
	if !ok {
		return Place{}, false, nil
	}
	return units[i].place(), true, nil
}

// Gone is a unit that no longer exists and the communes and wards that
// took it over.
type Gone struct {
	Was indicators.Unit // its last version
	Now []Place
}

// Successors returns the communes and wards valid on day that took over
// the unit that last carried code, as the 2025 reorganisation's mappings
// say (indicators.SuccessorsOf): where to send a resident who followed an
// old address. Now is empty when the code never named a unit, is valid
// still, or the data knows no successor valid on day.
func (x *Index) Successors(ctx context.Context, code, day string) (Gone, error) {
	versions, err := indicators.UnitVersions(ctx, x.db, code)
	if err != nil || len(versions) == 0 {
		return Gone{}, err
	}
	g := Gone{Was: versions[len(versions)-1]}
	if g.Was.ValidOn(day) {
		return g, nil
	}
	succ, err := indicators.SuccessorsOf(ctx, x.db, g.Was.ID)
	if err != nil {
		return Gone{}, fmt.Errorf("findhelp.Successors: %w", err)
	}
	for _, s := range succ {
		u, err := indicators.UnitByID(ctx, x.db, s.NewUnitID)
		if err != nil {
			return Gone{}, fmt.Errorf("findhelp.Successors: %w", err)
		}
		p, ok, err := x.Unit(ctx, u.Code, day)
		if err != nil {
			return Gone{}, err
		}
		if ok && p.Unit.ID == u.ID && !slices.ContainsFunc(g.Now, func(q Place) bool { return q.Unit.ID == u.ID }) {
			g.Now = append(g.Now, p)
		}
	}
	return g, nil
}

package indicators

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/i18n"
)

// Today is the current day in Asia/Ho_Chi_Minh, as the hierarchy is dated.
func Today(now time.Time) string { return now.In(zone()).Format(dayLayout) }

func zone() *time.Location { return i18n.Location() }

// ValidDay reports whether s is a day written YYYY-MM-DD.
func ValidDay(s string) bool {
	_, err := time.Parse(dayLayout, s)
	return err == nil && len(s) == 10
}

// DayBefore returns the day before day (YYYY-MM-DD): the last day of a
// version whose valid_to is day.
func DayBefore(day string) string { return prevDay(day) }

// prevDay returns the day before day.
func prevDay(day string) string {
	t, err := time.Parse(dayLayout, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, -1).Format(dayLayout)
}

// validOn restricts a query on org_units to the versions valid on day.
func validOn(q *bun.SelectQuery, day string) *bun.SelectQuery {
	return q.Where("u.valid_from <= ?", day).Where("u.valid_to > ?", day)
}

// UnitByCode returns the version of code valid on day.
func UnitByCode(ctx context.Context, db bun.IDB, code, day string) (*Unit, error) {
	u := new(Unit)
	err := validOn(db.NewSelect().Model(u), day).Where("u.code = ?", code).Limit(1).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, fmt.Errorf("indicators.UnitByCode %s on %s: %w", code, day, database.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("indicators.UnitByCode: %w", err)
	}
	return u, nil
}

// LatestUnit returns the version of code valid on day or, when none is, the
// most recent version that began before day (a unit that no longer exists
// still has its history), else the earliest later one.
func LatestUnit(ctx context.Context, db bun.IDB, code, day string) (*Unit, error) {
	var us []Unit
	if err := db.NewSelect().Model(&us).Where("u.code = ?", code).Order("u.valid_from").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.LatestUnit: %w", err)
	}
	if len(us) == 0 {
		return nil, fmt.Errorf("indicators.LatestUnit %s: %w", code, database.ErrNotFound)
	}
	return VersionOn(us, day), nil
}

// VersionOn picks, from the versions of one code (oldest first, as
// UnitVersions and UnitHistories give them), the one valid on day or, when
// none is, the most recent that began before day, else the earliest: what
// the code named on that day, or the nearest it came to. Nil for no
// versions.
func VersionOn(versions []Unit, day string) *Unit {
	if len(versions) == 0 {
		return nil
	}
	best := &versions[0]
	for i := range versions {
		if versions[i].ValidOn(day) {
			return &versions[i]
		}
		if versions[i].ValidFrom <= day {
			best = &versions[i]
		}
	}
	return best
}

// UnitHistories returns every version of the units that carried any of
// codes, by code, oldest first: one query for what many stored codes
// meant on the days they were given (see VersionOn).
func UnitHistories(ctx context.Context, db bun.IDB, codes []string) (map[string][]Unit, error) {
	out := map[string][]Unit{}
	if len(codes) == 0 {
		return out, nil
	}
	var us []Unit
	if err := db.NewSelect().Model(&us).Where("u.code IN (?)", bun.List(codes)).Order("u.code", "u.valid_from").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.UnitHistories: %w", err)
	}
	for _, u := range us {
		out[u.Code] = append(out[u.Code], u)
	}
	return out, nil
}

// AreaUnits returns the commune-level units (wards, communes, special
// zones) valid on day in the portal's province, by name: the places a
// business may say it is in. The province is the home unit (HomeUnit) or,
// when none is set, the only province the table holds on day, as on a
// portal that imported its own province's list. None when there is no such
// province.
func AreaUnits(ctx context.Context, db bun.IDB, day string) ([]Unit, error) {
	home, err := HomeUnit(ctx, db)
	if err != nil {
		return nil, err
	}
	if home == "" {
		provinces, err := Children(ctx, db, "", day)
		if err != nil || len(provinces) != 1 {
			return nil, err
		}
		home = provinces[0].Code
	}
	root, err := UnitByCode(ctx, db, home, day)
	if errors.Is(err, database.ErrNotFound) {
		return nil, nil // a home unit that no longer exists on day
	}
	if err != nil {
		return nil, err
	}
	all, err := Subtree(ctx, db, root, day)
	if err != nil {
		return nil, err
	}
	var out []Unit
	for _, u := range all {
		if u.Level == 3 {
			out = append(out, u)
		}
	}
	slices.SortStableFunc(out, func(a, b Unit) int { return strings.Compare(i18n.Fold(a.Name), i18n.Fold(b.Name)) })
	return out, nil
}

// UnitByID returns one unit version.
func UnitByID(ctx context.Context, db bun.IDB, id int64) (*Unit, error) {
	u := new(Unit)
	err := db.NewSelect().Model(u).Where("id = ?", id).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, fmt.Errorf("indicators.UnitByID %d: %w", id, database.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("indicators.UnitByID: %w", err)
	}
	return u, nil
}

// UnitVersions returns every version of the units that carried code, oldest
// first. After the 2025 reorganisation a code may name a different unit, so
// the versions need not share a name or a parent.
func UnitVersions(ctx context.Context, db bun.IDB, code string) ([]Unit, error) {
	var out []Unit
	if err := db.NewSelect().Model(&out).Where("code = ?", code).Order("valid_from").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.UnitVersions: %w", err)
	}
	return out, nil
}

// UnitsOn returns every unit valid on day, ordered by path (parents before
// their children).
func UnitsOn(ctx context.Context, db bun.IDB, day string) ([]Unit, error) {
	var us []Unit
	if err := validOn(db.NewSelect().Model(&us), day).Order("u.path").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.UnitsOn: %w", err)
	}
	return us, nil
}

// Children returns the units valid on day whose parent is parentCode (the
// provinces when parentCode is empty), by code.
func Children(ctx context.Context, db bun.IDB, parentCode, day string) ([]Unit, error) {
	var us []Unit
	err := validOn(db.NewSelect().Model(&us), day).
		Where("u.parent_code = ?", parentCode).Order("u.code").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("indicators.Children: %w", err)
	}
	return us, nil
}

// Subtree returns root and every unit below it valid on day, by path.
func Subtree(ctx context.Context, db bun.IDB, root *Unit, day string) ([]Unit, error) {
	var us []Unit
	lo, hi := pathRange(root.Path)
	err := validOn(db.NewSelect().Model(&us), day).
		Where("u.path >= ?", lo).Where("u.path < ?", hi).Order("u.path").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("indicators.Subtree: %w", err)
	}
	return us, nil
}

// pathRange returns the half-open range of paths that start with path, so
// that a subtree is one index range scan on both databases.
func pathRange(path string) (lo, hi string) {
	if path == "" {
		return "", "\U0010FFFF"
	}
	b := []byte(path)
	b[len(b)-1]++ // "/77/" → "/770": '/' + 1 is '0'
	return path, string(b)
}

// Ancestors returns the units above u on day, the province first. A path
// names codes; each is looked up as of day.
func Ancestors(ctx context.Context, db bun.IDB, u *Unit, day string) ([]Unit, error) {
	codes := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(codes) <= 1 {
		return nil, nil
	}
	codes = codes[:len(codes)-1]
	var us []Unit
	if err := validOn(db.NewSelect().Model(&us), day).Where("u.code IN (?)", bun.List(codes)).Order("u.level").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.Ancestors: %w", err)
	}
	return us, nil
}

// UnitPage is one page of a unit search.
type UnitPage struct {
	Units []Unit
	Total int
}

// SearchUnits finds units valid on day whose name or code matches q,
// ignoring diacritics and case ("ba ria" finds "Bà Rịa"), at most limit from
// offset, by path. An empty q lists all.
func SearchUnits(ctx context.Context, db bun.IDB, q, day string, limit, offset int) (UnitPage, error) {
	var page UnitPage
	sel := validOn(db.NewSelect().Model(&page.Units), day)
	if f := i18n.Fold(q); f != "" {
		sel = sel.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("u.search LIKE ?", "%"+escapeLike(f)+"%").WhereOr("u.code = ?", strings.TrimSpace(f))
		})
	}
	n, err := sel.Order("u.path").Limit(int64(limit)).Offset(int64(offset)).ScanAndCount(ctx)
	if err != nil {
		return page, fmt.Errorf("indicators.SearchUnits: %w", err)
	}
	page.Total = int(n)
	return page, nil
}

// escapeLike keeps a searched % or _ literal. Both databases treat
// backslash as the escape when told; SQLite needs ESCAPE, so instead of
// escaping we drop the wildcards, which never occur in unit names.
func escapeLike(s string) string {
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}

// Scope answers accounts.UnitScope over the unit table: whether a unit lies
// inside another's subtree as of today. A unit that no longer exists (an
// old commune whose past reports are being looked at) is judged by its last
// version.
type Scope struct {
	db  bun.IDB
	now func() time.Time
}

// NewScope returns the unit scope over db; now gives the current time.
func NewScope(db bun.IDB, now func() time.Time) *Scope {
	if now == nil {
		now = time.Now
	}
	return &Scope{db: db, now: now}
}

// VersionWithin reports whether the unit valid today with the code scope
// is one the figures of unit version id land on: the version itself or an
// ancestor while it is valid, else the units its successor links carry it
// to and their ancestors. A version that ended without successors lands
// nowhere, and its code, perhaps reused since, grants nothing.
func (s *Scope) VersionWithin(ctx context.Context, id int64, scope string) (bool, error) {
	if id == 0 || scope == "" {
		return false, nil
	}
	g, err := loadGraph(ctx, s.db, Today(s.now()))
	if err != nil {
		return false, fmt.Errorf("Scope.VersionWithin: %w", err)
	}
	sid, ok := g.onDay[scope]
	if !ok {
		return false, nil
	}
	_, in := g.landing(id)[sid]
	return in, nil
}

// VersionsUnder returns the ids of every unit version whose figures land,
// today, on the unit valid today with the code scope: the units of its
// subtree and all their predecessors. Lists of reports are scoped by it,
// as VersionWithin scopes the actions on one.
func (s *Scope) VersionsUnder(ctx context.Context, scope string) ([]int64, error) {
	g, err := loadGraph(ctx, s.db, Today(s.now()))
	if err != nil {
		return nil, fmt.Errorf("Scope.VersionsUnder: %w", err)
	}
	sid, ok := g.onDay[scope]
	if !ok {
		return nil, nil
	}
	var out []int64
	for id := range g.all {
		if _, in := g.landing(id)[sid]; in {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Within reports whether unit lies in the subtree of scope (itself
// included).
func (s *Scope) Within(ctx context.Context, unit, scope string) (bool, error) {
	if unit == "" || scope == "" {
		return false, nil
	}
	u, err := LatestUnit(ctx, s.db, unit, Today(s.now()))
	if errors.Is(err, database.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("Scope.Within: %w", err)
	}
	return strings.Contains(u.Path, "/"+scope+"/"), nil
}

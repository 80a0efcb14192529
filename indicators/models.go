package indicators

import (
	"time"

	"github.com/uptrace/bun"
)

// OpenEnd is the valid_to of a unit that is still valid.
const OpenEnd = "9999-12-31"

// dayLayout is how days are written in the database and in URLs.
const dayLayout = "2006-01-02"

// Unit is one version of an organisation unit: its code, name, kind and
// place in the hierarchy between ValidFrom (inclusive) and ValidTo
// (exclusive). A unit renamed, moved or merged gets a new version; codes are
// reused across dates, so only a code plus a day names a unit.
type Unit struct {
	bun.BaseModel `bun:"table:org_units,alias:u"`
	ID            int64    `bun:"id,pk,autoincrement"`
	Code          string   `bun:"code,notnull"`
	Name          string   `bun:"name,notnull"`
	NameEN        string   `bun:"name_en,notnull"`
	Kind          UnitKind `bun:"kind,notnull"`
	Level         int      `bun:"level,notnull"`
	ParentCode    string   `bun:"parent_code,notnull"`
	ValidFrom     string   `bun:"valid_from,notnull"`
	ValidTo       string   `bun:"valid_to,notnull"`
	Path          string   `bun:"path,notnull"`
	Search        string   `bun:"search,notnull"`
	Source        string   `bun:"source,notnull"`
}

// ValidOn reports whether u is valid on day (YYYY-MM-DD).
func (u *Unit) ValidOn(day string) bool { return u.ValidFrom <= day && day < u.ValidTo }

// DisplayName is the unit's name in lang: in English the English name the
// statistics office gave, else one derived from the official name
// (EnglishName); the official Vietnamese name otherwise, and in English
// when it has no standard form to derive one from (VietnameseIn says so).
func (u *Unit) DisplayName(english bool) string {
	if english && u.NameEN != "" {
		return u.NameEN
	}
	if english {
		if en := EnglishName(u.Name); en != "" {
			return en
		}
	}
	return u.Name
}

// VietnameseIn reports whether DisplayName(english) is the Vietnamese name,
// so that a page in English marks it lang="vi".
func (u *Unit) VietnameseIn(english bool) bool {
	return !english || (u.NameEN == "" && EnglishName(u.Name) == "")
}

// Successor carries an old unit's figures onto a new unit. Weight is the
// share of the old unit that went to the new one; nil for a partial merge
// means the share is unknown, which makes roll-ups "not comparable".
type Successor struct {
	bun.BaseModel `bun:"table:org_unit_successors"`
	ID            int64    `bun:"id,pk,autoincrement"`
	OldUnitID     int64    `bun:"old_unit_id,notnull"`
	NewUnitID     int64    `bun:"new_unit_id,notnull"`
	Full          bool     `bun:"full_merge,notnull"`
	Weight        *float64 `bun:"weight"`
	Note          string   `bun:"note,notnull"`
}

// Element is a data element: one number a commune reports per period, or
// one the portal counts itself.
type Element struct {
	bun.BaseModel `bun:"table:indicator_elements"`
	ID            int64  `bun:"id,pk,autoincrement"`
	Code          string `bun:"code,notnull,unique"`
	NameVI        string `bun:"name_vi,notnull"`
	NameEN        string `bun:"name_en,notnull"`
	Counts        string `bun:"counts,notnull"` // "households" or "persons" or "events"
	MinAge        *int   `bun:"min_age"`
	MaxAge        *int   `bun:"max_age"`
	Source        string `bun:"source,notnull"` // SourceEntered or a portal source
	SortOrder     int    `bun:"sort_order,notnull"`
	Active        bool   `bun:"active,notnull"`
}

// Sources of an element's figures.
const (
	SourceEntered     = "entered"
	SourceLessons     = "portal.lessons"
	SourceAssessments = "portal.assessments"
	SourcePayments    = "portal.payments"
)

// AgeFrom is the youngest age the element counts, 0 when it has no age band.
func (e *Element) AgeFrom() int {
	if e.MinAge == nil {
		return 0
	}
	return *e.MinAge
}

// Entered reports whether communes enter the element (others are counted by
// the portal and read-only).
func (e *Element) Entered() bool { return e.Source == SourceEntered }

// Name returns the element's name in the language asked for.
func (e *Element) Name(english bool) string {
	if english {
		return e.NameEN
	}
	return e.NameVI
}

// Indicator is numerator ÷ denominator × factor, each an element chosen
// explicitly.
type Indicator struct {
	bun.BaseModel `bun:"table:indicator_definitions"`
	ID            int64    `bun:"id,pk,autoincrement"`
	Code          string   `bun:"code,notnull,unique"`
	NameVI        string   `bun:"name_vi,notnull"`
	NameEN        string   `bun:"name_en,notnull"`
	NumeratorID   int64    `bun:"numerator_id,notnull"`
	DenominatorID int64    `bun:"denominator_id,notnull"`
	Factor        float64  `bun:"factor,notnull"`
	SortOrder     int      `bun:"sort_order,notnull"`
	Active        bool     `bun:"active,notnull"`
	Numerator     *Element `bun:"rel:belongs-to,join:numerator_id=id"`
	Denominator   *Element `bun:"rel:belongs-to,join:denominator_id=id"`
}

// Name returns the indicator's name in the language asked for.
func (i *Indicator) Name(english bool) string {
	if english {
		return i.NameEN
	}
	return i.NameVI
}

// Target is an indicator's goal for a year, with its legal source. Targets
// are data: a province adds its own (UnitCode set) beside the national ones.
type Target struct {
	bun.BaseModel `bun:"table:indicator_targets"`
	ID            int64   `bun:"id,pk,autoincrement"`
	IndicatorID   int64   `bun:"indicator_id,notnull"`
	Year          int     `bun:"year,notnull"`
	Value         float64 `bun:"value,notnull"`
	Strict        bool    `bun:"strict,notnull"` // "over 50%" rather than "at least"
	UnitCode      string  `bun:"unit_code,notnull"`
	SourceVI      string  `bun:"source_vi,notnull"`
	SourceEN      string  `bun:"source_en,notnull"`
}

// Source returns the target's legal source in the language asked for.
func (t *Target) Source(english bool) string {
	if english {
		return t.SourceEN
	}
	return t.SourceVI
}

// Met reports whether value reaches the target.
func (t *Target) Met(value float64) bool {
	if t.Strict {
		return value > t.Value
	}
	return value >= t.Value
}

// Status is where a report stands in its workflow.
type Status string

// The workflow: a commune saves drafts and submits; the province approves
// (which locks the values) or returns with a comment; an admin may unlock an
// approved report with a reason, which returns it to draft.
const (
	StatusDraft     Status = "draft"
	StatusSubmitted Status = "submitted"
	StatusReturned  Status = "returned"
	StatusApproved  Status = "approved"
)

// Editable reports whether a commune may change the values.
func (s Status) Editable() bool { return s == StatusDraft || s == StatusReturned || s == "" }

// Report is a unit's values for one period and where they stand.
type Report struct {
	bun.BaseModel `bun:"table:indicator_reports"`
	ID            int64      `bun:"id,pk,autoincrement"`
	UnitID        int64      `bun:"unit_id,notnull"`
	Period        string     `bun:"period,notnull"`
	Status        Status     `bun:"status,notnull"`
	Comment       string     `bun:"comment,notnull"`
	UpdatedAt     time.Time  `bun:"updated_at,notnull"`
	UpdatedBy     int64      `bun:"updated_by,notnull"`
	SubmittedAt   *time.Time `bun:"submitted_at"`
	ApprovedAt    *time.Time `bun:"approved_at"`
}

// valueRow is one stored number of a report.
type valueRow struct {
	bun.BaseModel `bun:"table:indicator_values"`
	ReportID      int64 `bun:"report_id,pk"`
	ElementID     int64 `bun:"element_id,pk"`
	Value         int64 `bun:"value,notnull"`
}

// setting is one row of indicator_settings.
type setting struct {
	bun.BaseModel `bun:"table:indicator_settings"`
	Key           string `bun:"key,pk"`
	Value         string `bun:"value,notnull"`
}

package assessments

import (
	"context"
	"time"
)

// Area is a place a business may say it is in: a commune, ward or special
// zone by the statistics office's code, as the indicators part's unit
// table holds it, so that the two parts name places alike.
type Area struct {
	Code string
	Name Text // empty for a code no unit ever carried
	// Until is the last day (YYYY-MM-DD) of a unit that no longer exists,
	// such as a district abolished on 1 July 2025 that an earlier answer
	// named; empty for a unit of today.
	Until string
}

// Former reports whether the area is a unit that no longer exists.
func (a Area) Former() bool { return a.Until != "" }

// Key tells areas apart in the officials' figures: today's unit by its
// code, a former one by its code and last day, since a new unit may carry
// the code of a different old one.
func (a Area) Key() string {
	if a.Former() {
		return a.Code + "@" + a.Until
	}
	return a.Code
}

// AreaRef is a stored area code with the day it was given on, which says
// which unit it named.
type AreaRef struct {
	Code string
	Day  string // YYYY-MM-DD in Asia/Ho_Chi_Minh
}

// RefOf returns the area a response names and the day it was given: the
// day the response last changed, since a profile is editable until the
// response is submitted.
func RefOf(r *Response) AreaRef {
	return AreaRef{Code: r.Area, Day: r.UpdatedAt.In(Zone()).Format(time.DateOnly)}
}

// Places is where areas come from: the units of the portal's province,
// which server reads from the indicators part (assessments does not import
// it).
type Places interface {
	// Areas lists the areas a business may choose today, in the order the
	// form offers them; none when the portal has no units yet, and then the
	// profile does not ask.
	Areas(ctx context.Context) ([]Area, error)
	// Resolve returns the area each reference named on its day: today's
	// unit while it exists, else the unit as it was, with Until set. A code
	// no unit ever carried is missing from the map.
	Resolve(ctx context.Context, refs []AreaRef) (map[AreaRef]Area, error)
}

// offered reports whether code is one of the areas offered.
func offered(areas []Area, code string) bool {
	for _, a := range areas {
		if a.Code == code {
			return true
		}
	}
	return false
}

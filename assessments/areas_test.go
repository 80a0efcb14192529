package assessments

import (
	"context"
	"testing"
	"time"
)

// placeVersion is one version of a unit in tablePlaces: its name and the
// days it was valid, from included, to excluded.
type placeVersion struct{ name, from, to string }

// tablePlaces is a fixed table of units standing in for the indicators
// part's, which server reads (assessments does not import it): two wards
// of today, and the units of before 1 July 2025 whose codes answers may
// hold, one of them a code that a new ward carries now.
type tablePlaces struct {
	today []Area
	units map[string][]placeVersion
	now   string // the day "today" is
}

var demoPlaces = tablePlaces{
	today: []Area{
		{Code: "26506", Name: Text{VI: "Phường Vũng Tàu", EN: "Vũng Tàu Ward"}},
		{Code: "26521", Name: Text{VI: "Phường Tam Thắng", EN: "Tam Thắng Ward"}},
	},
	units: map[string][]placeVersion{
		"26506": {{"Phường 1", "2020-01-01", "2025-07-01"}, {"Phường Vũng Tàu", "2025-07-01", "9999-12-31"}},
		"26521": {{"Phường Tam Thắng", "2025-07-01", "9999-12-31"}},
		"747":   {{"Thành phố Vũng Tàu", "2020-01-01", "2025-07-01"}},
	},
	now: "2026-12-07",
}

func (p tablePlaces) Areas(context.Context) ([]Area, error) { return p.today, nil }

func (p tablePlaces) Resolve(_ context.Context, refs []AreaRef) (map[AreaRef]Area, error) {
	out := map[AreaRef]Area{}
	for _, ref := range refs {
		vs := p.units[ref.Code]
		if len(vs) == 0 {
			continue
		}
		v := vs[0]
		for _, x := range vs {
			if x.from <= ref.Day {
				v = x
			}
		}
		a := Area{Code: ref.Code, Name: Text{VI: v.name, EN: v.name}}
		if v.to <= p.now {
			last, _ := time.Parse(time.DateOnly, v.to)
			a.Until = last.AddDate(0, 0, -1).Format(time.DateOnly)
		}
		out[ref] = a
	}
	return out, nil
}

func TestAreaKey(t *testing.T) {
	tests := []struct {
		area Area
		want string
	}{
		{Area{Code: "26506"}, "26506"},
		{Area{Code: "26506", Until: "2025-06-30"}, "26506@2025-06-30"},
	}
	for _, tt := range tests {
		if got := tt.area.Key(); got != tt.want {
			t.Errorf("%+v: key %q, want %q", tt.area, got, tt.want)
		}
	}
}

// TestRefOf: the day of an answer is the day in Hồ Chí Minh City.
func TestRefOf(t *testing.T) {
	r := &Response{Area: "747", UpdatedAt: time.Date(2025, 6, 30, 17, 30, 0, 0, time.UTC)}
	if got, want := RefOf(r), (AreaRef{Code: "747", Day: "2025-07-01"}); got != want {
		t.Errorf("RefOf = %+v, want %+v", got, want)
	}
}

package assessments

import (
	"strings"
	"testing"
)

// TestSizeClass follows Decree 80/2021/NĐ-CP, Article 5: employees AND
// (revenue OR capital), limits by sector group.
func TestSizeClass(t *testing.T) {
	c, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		p    Profile
		want string
	}{
		{"shop, 5 staff, 2 bn", Profile{Sector: "G", Employees: 5, Revenue: "r1", Capital: CapitalUnknown}, "micro"},
		{"shop, 10 staff, up to 10 bn is still micro in trade", Profile{Sector: "G", Employees: 10, Revenue: "r2", Capital: CapitalUnknown}, "micro"},
		{"factory, 10 staff, up to 10 bn is small in industry", Profile{Sector: "C", Employees: 10, Revenue: "r2", Capital: CapitalUnknown}, "small"},
		{"factory, 10 staff, 3–10 bn revenue but capital under 3 bn: micro", Profile{Sector: "C", Employees: 10, Revenue: "r2", Capital: "c1"}, "micro"},
		{"11 staff is no longer micro", Profile{Sector: "G", Employees: 11, Revenue: "r1", Capital: CapitalUnknown}, "small"},
		{"trade, 50 staff, 100 bn: small", Profile{Sector: "I", Employees: 50, Revenue: "r4", Capital: CapitalUnknown}, "small"},
		{"trade, 51 staff: medium", Profile{Sector: "I", Employees: 51, Revenue: "r4", Capital: CapitalUnknown}, "medium"},
		{"farm, 100 staff, 50 bn: small", Profile{Sector: "A", Employees: 100, Revenue: "r3", Capital: CapitalUnknown}, "small"},
		{"farm, 100 staff, 50–100 bn revenue, capital 20 bn: small by capital", Profile{Sector: "A", Employees: 100, Revenue: "r4", Capital: "c2"}, "small"},
		{"farm, 100 staff, 50–100 bn revenue, capital over 20 bn: medium", Profile{Sector: "A", Employees: 100, Revenue: "r4", Capital: "c3"}, "medium"},
		{"builder, 200 staff, 200 bn: medium", Profile{Sector: "F", Employees: 200, Revenue: "r5", Capital: CapitalUnknown}, "medium"},
		{"builder, 201 staff: large", Profile{Sector: "F", Employees: 201, Revenue: "r1", Capital: "c1"}, "large"},
		{"trade, 100 staff, over 300 bn, capital over 100 bn: large", Profile{Sector: "G", Employees: 100, Revenue: "r7", Capital: "c5"}, "large"},
		{"trade, 100 staff, over 300 bn, capital 100 bn: medium by capital", Profile{Sector: "G", Employees: 100, Revenue: "r7", Capital: "c4"}, "medium"},
	}
	for _, tt := range tests {
		if got := c.Profile.SizeClassOf(tt.p); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestCheckProfile(t *testing.T) {
	c, _ := LoadCatalog()
	areas := demoPlaces.today
	tests := []struct {
		name   string
		p      Profile
		areas  []Area
		fields []string
	}{
		{"all offered", Profile{Sector: "G", Employees: 3, Revenue: "r1", Capital: CapitalUnknown, Area: "26506"}, areas, nil},
		{"none offered", Profile{Sector: "G", Employees: 3, Revenue: "r1", Capital: "c1"}, nil, nil},
		{"nothing offered", Profile{Sector: "O", Employees: -1, Revenue: "r9", Capital: "x", Area: "99999"}, areas, []string{"sector", "employees", "revenue", "capital", "area"}},
		// A district abolished on 1 July 2025 is no longer offered.
		{"former district", Profile{Sector: "G", Employees: 3, Revenue: "r1", Capital: CapitalUnknown, Area: "747"}, areas, []string{"area"}},
		{"no area chosen", Profile{Sector: "G", Employees: 3, Revenue: "r1", Capital: CapitalUnknown}, areas, []string{"area"}},
		{"an area when none is offered", Profile{Sector: "G", Employees: 3, Revenue: "r1", Capital: CapitalUnknown, Area: "747"}, nil, []string{"area"}},
	}
	for _, tt := range tests {
		var got []string
		for _, fe := range c.CheckProfile(tt.p, tt.areas) {
			got = append(got, fe.Field)
		}
		if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
			t.Errorf("%s: problems with %v, want %v", tt.name, got, tt.fields)
		}
	}
}

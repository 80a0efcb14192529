package indicators

import (
	"strings"

	"digiportal/i18n"
)

// UnitKind is the administrative type of a unit, as the statistics office's
// list names it.
type UnitKind string

// The kinds of unit. Level 1 is the province, 2 the district (abolished on
// 1 July 2025), 3 the commune level.
const (
	KindProvince     UnitKind = "province"       // Tỉnh
	KindMunicipality UnitKind = "municipality"   // Thành phố trực thuộc trung ương
	KindCity         UnitKind = "city"           // Thành phố thuộc tỉnh
	KindTown         UnitKind = "town"           // Thị xã
	KindUrbanDist    UnitKind = "urban_district" // Quận
	KindDistrict     UnitKind = "district"       // Huyện
	KindWard         UnitKind = "ward"           // Phường
	KindCommune      UnitKind = "commune"        // Xã
	KindTownship     UnitKind = "township"       // Thị trấn
	KindSpecialZone  UnitKind = "special_zone"   // Đặc khu
)

// Kinds lists every kind, by level.
func Kinds() []UnitKind {
	return []UnitKind{KindProvince, KindMunicipality, KindCity, KindTown, KindUrbanDist, KindDistrict,
		KindWard, KindCommune, KindTownship, KindSpecialZone}
}

// Level is the tier of the kind: 1 province, 2 district, 3 commune.
func (k UnitKind) Level() int {
	switch k {
	case KindProvince, KindMunicipality:
		return 1
	case KindCity, KindTown, KindUrbanDist, KindDistrict:
		return 2
	}
	return 3
}

// MsgID names the kind in the message files.
func (k UnitKind) MsgID() string { return "indicators.kind." + string(k) }

// kindPrefixes are the name prefixes the statistics office writes, longest
// first so that "Thành phố" is not read as a township's "Thị".
var kindPrefixes = []struct {
	prefix string
	level  int
	kind   UnitKind
}{
	{"thanh pho", 1, KindMunicipality},
	{"tinh", 1, KindProvince},
	{"thanh pho", 2, KindCity},
	{"thi xa", 2, KindTown},
	{"quan", 2, KindUrbanDist},
	{"huyen", 2, KindDistrict},
	{"phuong", 3, KindWard},
	{"thi tran", 3, KindTownship},
	{"dac khu", 3, KindSpecialZone},
	{"xa", 3, KindCommune},
}

// kindOf reads a unit's kind from the "Cấp" column or, when that is empty,
// from the start of its name ("Huyện Châu Đức"). ok is false when neither
// says.
func kindOf(level int, cap, name string) (UnitKind, bool) {
	for _, s := range []string{cap, name} {
		f := i18n.Fold(s)
		for _, p := range kindPrefixes {
			if p.level == level && (f == p.prefix || strings.HasPrefix(f, p.prefix+" ")) {
				return p.kind, true
			}
		}
	}
	return "", false
}

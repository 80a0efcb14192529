package personal

import "testing"

// TestHoldsNumber: a note holding anything shaped like a citizen
// ID, an old ID card or a Vietnamese phone number, however grouped, is
// caught; counts, dates and times are not.
func TestHoldsNumber(t *testing.T) {
	for _, c := range []struct {
		note string
		want bool
	}{
		{"CCCD 001203004567", true},
		{"cccd: 001 203 004 567", true},
		{"số 001.203.004.567 nhé", true},
		{"CMND cũ 123456789", true},
		{"cmnd 123-456-789", true},
		{"gọi 0912345678", true},
		{"gọi 0912 345 678", true},
		{"gọi 091.234.5678", true},
		{"+84 912 345 678", true},
		{"+84912345678", true},
		{"84912345678", true},
		// Groupings and digits that once slipped through to the public
		// help page's desk place.
		{"Gọi (091) 234 5678", true},
		{"Gọi 0912/345/678", true},
		{"Gọi 0912_345_678", true},
		{"Gọi 0912\u00a0345\u00a0678", true},
		{"Gọi 0912\u2013345\u2013678", true},
		{"Gọi ０９１２３４５６７８", true},
		{"CCCD ００１２０３００４５６７", true},
		{"Sáng thứ Bảy, 7:30–11:00", false},
		{"ngày 1/12/2026 lúc 8:00–10:00", false},
		{"tổ 1, 2, 3, 4, 5, 6, 7, 8, 9", false},
		{"(tổ 12) nhà văn hóa số 3", false},
		{"Hướng dẫn 12 hộ, 30 người, ngày 05.12.2026 lúc 8-10 giờ", false},
		{"Cài VNeID cho 3 người cao tuổi", false},
		{"nhà số 12, ngõ 45", false},
		{"mã lớp 2026-12", false},
		{"", false},
	} {
		if got := HoldsNumber(c.note); got != c.want {
			t.Errorf("HoldsNumber(%q) = %v, want %v", c.note, got, c.want)
		}
	}
}

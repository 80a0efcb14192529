package indicators

import "testing"

func TestEnglishName(t *testing.T) {
	for _, c := range []struct{ vi, want string }{
		{"Phường Bến Thành", "Ben Thanh Ward"},
		{"Xã Long Sơn", "Long Son Commune"},
		{"Đặc khu Côn Đảo", "Con Dao Special Zone"},
		{"Thành phố Hồ Chí Minh", "Ho Chi Minh City"},
		{"Tỉnh Bà Rịa - Vũng Tàu", "Ba Ria - Vung Tau Province"},
		{"Quận Bình Thạnh", "Binh Thanh District"},
		{"Huyện Đất Đỏ", "Dat Do District"},
		{"Thị xã Phú Mỹ", "Phu My Town"},
		{"Thị trấn Ngãi Giao", "Ngai Giao Township"},
		{"Phường 1", "Ward 1"},
		{"Quận 10", "District 10"},
		{"Phường Đông Hòa", "Dong Hoa Ward"}, // Đ in capital, ò composed
		{"Phường Đông Hoà", "Dong Hoa Ward"}, // the old placing of the mark
		{"Phường", ""},                       // a kind and no name
		{"Khu kinh tế Vân Phong", ""},        // no standard form: stays Vietnamese
		{"XãThửNghiệmKhôngKhoảngTrắng", ""},  // not "Xã " and a name
		{"", ""},
		{"Pha\u0300\u0301 Be\u0302\u0300n", ""}, // not a kind, decomposed
		{"Phu\u031bo\u031b\u0300ng Be\u0302\u0301n Tha\u0300nh", "Ben Thanh Ward"}, // typed decomposed ("Unicode tổ hợp")
		{"X\u00e3\u00a0Long S\u01a1n", "Long Son Commune"},                         // a no-break space after the kind
	} {
		if got := EnglishName(c.vi); got != c.want {
			t.Errorf("EnglishName(%q) = %q, want %q", c.vi, got, c.want)
		}
	}
	u := Unit{Name: "Phường Bến Thành", NameEN: "Ben Thanh Ward (office)"}
	if got := u.DisplayName(true); got != "Ben Thanh Ward (office)" {
		t.Errorf("DisplayName with the office's English name = %q", got)
	}
	u.NameEN = ""
	if got, vi := u.DisplayName(true), u.VietnameseIn(true); got != "Ben Thanh Ward" || vi {
		t.Errorf("DisplayName derived = %q, Vietnamese %v", got, vi)
	}
	u.Name = "Khu kinh tế Vân Phong"
	if got, vi := u.DisplayName(true), u.VietnameseIn(true); got != u.Name || !vi {
		t.Errorf("DisplayName of a name with no standard form = %q, Vietnamese %v; want the Vietnamese name, marked", got, vi)
	}
	if got := u.DisplayName(false); got != u.Name {
		t.Errorf("DisplayName in Vietnamese = %q", got)
	}
}

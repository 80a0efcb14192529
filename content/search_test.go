package content

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"digiportal/i18n"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"dịch vụ công", "dich vu cong"},
		{"DỊCH VỤ CÔNG", "dich vu cong"},
		{"Đăng ký", "dang ky"},
		{"đ", "d"},
		{"Đ", "d"},
		{"Nghị định 69/2024/NĐ-CP", "nghi dinh 69/2024/nd-cp"},
		{"ưu đãi ở chợ", "uu dai o cho"},
		{"ẤẦẨẪẬ ắằẳẵặ", "aaaaa aaaaa"},
		{"Ỳ ỷ ỹ ỵ ý", "y y y y y"},
		{"Wi-Fi", "wi-fi"},
		// Decomposed input (as some keyboards send it) folds the same.
		{"d\u0323i\u0323ch vu\u0323", "dich vu"},
	}
	for _, tt := range tests {
		if got := i18n.Fold(tt.in); got != tt.want {
			t.Errorf("i18n.Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSearchEmbedded searches the real lessons. want lists slugs that must
// come first, in any order among themselves (a ranking within them would
// make the test fail on harmless wording changes); none means no results.
func TestSearchEmbedded(t *testing.T) {
	lib, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	const (
		dvc       = "dich-vu-cong-truc-tuyen"
		kho       = "kho-du-lieu-dien-tu-ca-nhan"
		vneid     = "tai-khoan-dinh-danh-vneid"
		kyso      = "chu-ky-so-ca-nhan"
		banSao    = "chung-thuc-ban-sao-dien-tu"
		luaDao    = "nhan-dien-lua-dao-truc-tuyen"
		matKhau   = "mat-khau-va-xac-thuc-hai-buoc"
		capQuang  = "internet-cap-quang-gia-dinh"
		dienThoai = "dien-thoai-thong-minh-co-ban"
		vietqr    = "thanh-toan-truc-tuyen-vietqr"
		taiCho    = "thanh-toan-khong-tien-mat-tai-cho"
		hoaDon    = "hoa-don-dien-tu"
		banHang   = "ban-hang-truc-tuyen"
		phanAnh   = "phan-anh-kien-nghi-truc-tuyen"
		dnHoTro   = "ho-tro-chuyen-doi-so-doanh-nghiep"
		duLieu    = "bao-ve-du-lieu-ca-nhan"
		cds       = "chuyen-doi-so-voi-ban"
		toCNS     = "to-cong-nghe-so-cong-dong"
		bdhvs     = "binh-dan-hoc-vu-so"
		toanTrinh = "thu-tuc-truc-tuyen-toan-trinh"
		khongGiu  = "ho-tro-khong-giu-ma-bi-mat"
		keGian    = "chan-ke-gian-khi-di-ho-tro"
		nhatKy    = "ghi-nhat-ky-ho-tro"
	)
	tests := []struct {
		lang      i18n.Lang
		q         string
		want      []string
		otherLang bool
	}{
		// Accents, case and đ, in both directions.
		{i18n.VI, "dich vu cong", []string{dvc}, false},
		{i18n.VI, "dịch vụ công", []string{dvc}, false},
		{i18n.VI, "DỊCH VỤ CÔNG", []string{dvc}, false},
		{i18n.VI, "Dich Vu Cong", []string{dvc}, false},
		{i18n.VI, "dinh danh dien tu", []string{vneid}, false},
		{i18n.VI, "định danh điện tử", []string{vneid}, false},
		{i18n.VI, "đinh danh", []string{vneid}, false},
		{i18n.VI, "chu ky so", []string{kyso}, false},
		{i18n.VI, "chữ ký số", []string{kyso}, false},
		{i18n.VI, "CHỮ KÝ SỐ", []string{kyso}, false},
		{i18n.VI, "ky so tu xa", []string{kyso}, false},
		{i18n.VI, "chung thuc ban sao", []string{banSao}, false},
		{i18n.VI, "ban sao", []string{banSao}, false},
		{i18n.VI, "lua dao", []string{luaDao}, false},
		{i18n.VI, "lừa đảo", []string{luaDao}, false},
		{i18n.VI, "mat khau", []string{matKhau}, false},
		{i18n.VI, "xac thuc hai buoc", []string{matKhau}, false},
		{i18n.VI, "cap quang", []string{capQuang}, false},
		{i18n.VI, "cáp quang", []string{capQuang}, false},
		{i18n.VI, "dien thoai thong minh", []string{dienThoai}, false},
		{i18n.VI, "vietqr", []string{vietqr}, false},
		{i18n.VI, "VietQR", []string{vietqr}, false},
		{i18n.VI, "tien dien", []string{taiCho}, false},
		{i18n.VI, "hoa don dien tu", []string{hoaDon}, false},
		{i18n.VI, "ban hang truc tuyen", []string{banHang}, false},
		{i18n.VI, "phan anh kien nghi", []string{phanAnh}, false},
		{i18n.VI, "kho du lieu", []string{kho}, false},
		{i18n.VI, "vneid", []string{vneid}, false},
		{i18n.VI, "bao ve du lieu ca nhan", []string{duLieu}, false},
		{i18n.VI, "ho kinh doanh", []string{hoaDon, dnHoTro}, false},
		{i18n.VI, "to cong nghe so cong dong", []string{toCNS}, false},
		{i18n.VI, "Tổ công nghệ số", []string{toCNS}, false},
		{i18n.VI, "binh dan hoc vu so", []string{bdhvs}, false},
		{i18n.VI, "chuyen doi so", []string{cds, dnHoTro}, false},
		{i18n.VI, "toan trinh", []string{toanTrinh}, false},
		{i18n.VI, "phạt nguội", []string{toanTrinh}, false},
		{i18n.EN, "community digital technology team", []string{toCNS}, false},
		{i18n.EN, "fully online", []string{toanTrinh}, false},
		// The lessons for team members, in both languages.
		{i18n.VI, "nhat ky ho tro", []string{nhatKy}, false},
		{i18n.VI, "ghi nhật ký", []string{nhatKy}, false},
		{i18n.EN, "help log", []string{nhatKy}, false},
		{i18n.EN, "recording help without personal data", []string{nhatKy}, false},
		{i18n.VI, "chặn kẻ gian", []string{keGian}, false},
		{i18n.VI, "ke gian khi ho tro", []string{keGian}, false},
		{i18n.EN, "stopping a scammer", []string{keGian}, false},
		{i18n.VI, "không giữ mật khẩu", []string{khongGiu}, false},
		{i18n.VI, "khong giu mat khau ma otp", []string{khongGiu}, false},
		{i18n.EN, "handling passwords", []string{khongGiu}, false},
		// A question typed as a sentence finds its lesson.
		{i18n.VI, "cach nop ho so dich vu cong nhu the nao", []string{dvc}, false},
		// The last word may be unfinished, when no lesson holds it whole
		// and it has three letters or more.
		{i18n.VI, "cap qua", []string{capQuang}, false},
		{i18n.EN, "passw", []string{matKhau}, false},
		{i18n.EN, "two-step verif", []string{matKhau}, false},
		{i18n.EN, "pa", nil, false},
		// English plurals are whole words too.
		{i18n.EN, "scam", []string{luaDao}, false},
		{i18n.EN, "application", []string{dvc}, false},
		// English.
		{i18n.EN, "scam", []string{luaDao}, false},
		{i18n.EN, "SCAMS", []string{luaDao}, false},
		{i18n.EN, "fibre", []string{capQuang}, false},
		{i18n.EN, "password", []string{matKhau}, false},
		{i18n.EN, "two-step verification", []string{matKhau}, false},
		{i18n.EN, "e-invoices", []string{hoaDon}, false},
		{i18n.EN, "digital signature", []string{kyso}, false},
		{i18n.EN, "how do I track my application", []string{dvc}, false},
		{i18n.EN, "VietQR", []string{vietqr}, false},
		// A Vietnamese query on an English page finds the lesson anyway.
		{i18n.EN, "dich vu cong", []string{dvc, kho}, true},
		{i18n.EN, "lừa đảo", []string{luaDao}, true},
		// Nothing.
		{i18n.VI, "xyzzy", nil, false},
		{i18n.EN, "xyzzy quux", nil, false},
		{i18n.VI, "   ", nil, false},
		{i18n.VI, "?!…", nil, false},
	}
	for _, tt := range tests {
		res := lib.Search(tt.lang, tt.q)
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Lesson.Slug)
		}
		if len(tt.want) == 0 {
			if len(got) != 0 {
				t.Errorf("Search(%s, %q) = %v, want nothing", tt.lang, tt.q, got)
			}
			continue
		}
		if len(got) < len(tt.want) {
			t.Errorf("Search(%s, %q) = %v, want %v first", tt.lang, tt.q, got, tt.want)
			continue
		}
		top := map[string]bool{}
		for _, s := range got[:len(tt.want)] {
			top[s] = true
		}
		for _, w := range tt.want {
			if !top[w] {
				t.Errorf("Search(%s, %q) = %v, want %v first", tt.lang, tt.q, got, tt.want)
				break
			}
		}
		if res.OtherLang != tt.otherLang {
			t.Errorf("Search(%s, %q).OtherLang = %v, want %v", tt.lang, tt.q, res.OtherLang, tt.otherLang)
		}
	}
}

// TestSearchWholeWordsFirst: a word typed whole finds the lessons that
// hold it whole, and the start of a longer word counts only when none does.
func TestSearchWholeWordsFirst(t *testing.T) {
	lib, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	// "dẫn" (in "hướng dẫn") is a whole word of many lessons, so "danh" of
	// "định danh" must not put the VNeID lesson first.
	for _, q := range []string{"đường dẫn", "duong dan", "Đường Dẫn"} {
		res := lib.Search(i18n.VI, q)
		if len(res.Hits) == 0 {
			t.Fatalf("Search(%q) found nothing", q)
		}
		if res.Hits[0].Lesson.Slug == "tai-khoan-dinh-danh-vneid" {
			t.Errorf("Search(%q) = %s, want the lessons with the words whole first", q, slugsOf(res))
		}
		for _, h := range res.Hits {
			if !slices.Contains(words(h.Lesson.In(i18n.VI).Plain), "dan") && !slices.Contains(words(h.Lesson.In(i18n.VI).Title), "dan") {
				t.Errorf("Search(%q) found %s, which holds only a word starting with dan", q, h.Lesson.Slug)
			}
		}
	}
	// Titles rank above bodies: the lesson named for the words comes first.
	res := lib.Search(i18n.VI, "dich vu cong")
	if len(res.Hits) == 0 || !strings.Contains(i18n.Fold(res.Hits[0].Lesson.In(i18n.VI).Title), "dich vu cong") {
		t.Errorf("Search(dich vu cong) = %s, want a lesson with the words in its title first", slugsOf(res))
	}
}

func TestTrimQuery(t *testing.T) {
	long := strings.Repeat("a", MaxQueryBytes-1) + "đ" + "xyz" // đ is two bytes, across the limit
	tests := []struct{ in, want string }{
		{"dịch vụ công", "dịch vụ công"},
		{strings.Repeat("a", 300), strings.Repeat("a", MaxQueryBytes)},
		{long, strings.Repeat("a", MaxQueryBytes-1)},
		{strings.Repeat("đ", 150), strings.Repeat("đ", MaxQueryBytes/2)},
	}
	for _, tt := range tests {
		got := TrimQuery(tt.in)
		if got != tt.want || !utf8.ValidString(got) || len(got) > MaxQueryBytes {
			t.Errorf("TrimQuery(%d bytes) = %d bytes %q…, want %d bytes", len(tt.in), len(got), got[:min(10, len(got))], len(tt.want))
		}
	}
}

func TestSearchSameResultsWhateverTheAccents(t *testing.T) {
	lib, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, group := range [][]string{
		{"dich vu cong", "DỊCH VỤ CÔNG", "dịch vụ công", "Dịch Vụ Công"},
		{"dang ky", "đăng ký", "ĐĂNG KÝ", "dang ký"},
		{"dien", "điện", "ĐIỆN", "Điện"},
	} {
		want := slugsOf(lib.Search(i18n.VI, group[0]))
		if want == "" {
			t.Errorf("Search(%q) found nothing", group[0])
		}
		for _, q := range group[1:] {
			if got := slugsOf(lib.Search(i18n.VI, q)); got != want {
				t.Errorf("Search(%q) = %s\nwant the same as Search(%q) = %s", q, got, group[0], want)
			}
		}
	}
}

func slugsOf(r Results) string {
	var s []string
	for _, h := range r.Hits {
		s = append(s, h.Lesson.Slug)
	}
	return strings.Join(s, " ")
}

func TestSearchRanksTitlesFirst(t *testing.T) {
	lib := fixtureLibrary(t)
	// "otp" is in a body only, "mật khẩu" in a title: a title match wins
	// even when the body holds the other word more often.
	res := lib.Search(i18n.VI, "mat khau")
	if len(res.Hits) == 0 || res.Hits[0].Lesson.Slug != "mat-khau-manh" {
		t.Errorf("Search(mat khau) = %s, want mat-khau-manh first", slugsOf(res))
	}
	res = lib.Search(i18n.VI, "cong an")
	if got := slugsOf(res); got != "nhan-dien-lua-dao" {
		t.Errorf("Search(cong an) = %q, want the body match nhan-dien-lua-dao", got)
	}
	res = lib.Search(i18n.VI, "lua dao mat khau")
	if !res.Partial || len(res.Hits) < 2 {
		t.Errorf("Search(lua dao mat khau) = %s partial %v, want lessons holding some words, marked partial", slugsOf(res), res.Partial)
	}
	long := strings.Repeat("dịch vụ công ", 100)
	if res := lib.Search(i18n.VI, long); len(res.Hits) == 0 {
		t.Error("a long query found nothing, want it cut and searched")
	}
}

func BenchmarkSearch(b *testing.B) {
	lib, err := LoadEmbedded()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		lib.Search(i18n.VI, "cach nop ho so dich vu cong")
	}
}

func FuzzSearch(f *testing.F) {
	lib := fixtureLibrary(f)
	f.Add("dịch vụ công")
	f.Add("\xff\xfe")
	f.Add(strings.Repeat("đ", 300))
	f.Fuzz(func(t *testing.T, q string) {
		lib.Search(i18n.VI, q)
	})
}

package i18n

import "testing"

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Dịch vụ công":          "dich vu cong",
		"ĐĂNG KÝ":               "dang ky",
		"  Phường\u00a0Xã\t 1 ": "phuong xa 1",
		"Mã PX":                 "ma px",
		"Wi-Fi":                 "wi-fi",
		"":                      "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

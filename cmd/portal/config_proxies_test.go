package main

import (
	"errors"
	"strings"
	"testing"
)

// TestConfigTrustedProxies: nobody's forwarding headers are believed unless
// PORTAL_TRUSTED_PROXIES (or -trusted-proxies) names the proxies, and a
// value that is not a list of CIDR networks stops the start naming the
// variable.
func TestConfigTrustedProxies(t *testing.T) {
	tests := []struct {
		env  string
		args []string
		want string // the networks as text; "-" means refused
	}{
		{"", nil, ""},
		{"127.0.0.1/32", nil, "127.0.0.1/32"},
		{"10.0.0.0/8, 2001:db8::/32", nil, "10.0.0.0/8 2001:db8::/32"},
		{"", []string{"-trusted-proxies", "192.0.2.10/32"}, "192.0.2.10/32"},
		{"127.0.0.1", nil, "-"},
		{"10.0.0.0/8,", nil, "-"},
		{"proxy.example", nil, "-"},
		{"", []string{"-trusted-proxies", "0.0.0.0/33"}, "-"},
	}
	for _, tt := range tests {
		c, _, err := loadConfig(envOf(map[string]string{"PORTAL_TRUSTED_PROXIES": tt.env}), tt.args, nil)
		if tt.want == "-" {
			var ce *configError
			if !errors.As(err, &ce) || ce.Name != "PORTAL_TRUSTED_PROXIES" || !strings.Contains(err.Error(), "PORTAL_TRUSTED_PROXIES") {
				t.Errorf("%q %v: err %v, want a configError naming PORTAL_TRUSTED_PROXIES", tt.env, tt.args, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q %v: %v", tt.env, tt.args, err)
			continue
		}
		var got []string
		for _, p := range c.TrustedProxies {
			got = append(got, p.String())
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%q %v: got %v, want %q", tt.env, tt.args, got, tt.want)
		}
	}
}

package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"digiportal/i18n"
	"digiportal/site"
)

// TestConfigSiteFile: PORTAL_SITE_FILE is read and checked at start; a
// missing file names the variable, a wrong one names the field, and no
// file means the demonstration.
func TestConfigSiteFile(t *testing.T) {
	c, _, err := loadConfig(envOf(nil), nil, nil)
	if err != nil || !c.Site.IsDemo() {
		t.Fatalf("no site file: %v, want the demonstration", err)
	}
	_, _, err = loadConfig(envOf(map[string]string{"PORTAL_SITE_FILE": filepath.Join(t.TempDir(), "none.toml")}), nil, nil)
	var ce *configError
	if !errors.As(err, &ce) || ce.Name != "PORTAL_SITE_FILE" {
		t.Errorf("missing file: %v, want a configError naming PORTAL_SITE_FILE", err)
	}
	demo, err := os.ReadFile("../../site/demo.toml")
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "site.toml")
	if err := os.WriteFile(bad, []byte(strings.Replace(string(demo), `email = "lienhe@minhhoa.example"`, `email = "not an address"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = loadConfig(envOf(nil), []string{"-site-file", bad}, nil)
	var se *site.Error
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "PORTAL_SITE_FILE") || !strings.Contains(err.Error(), "email:") {
		t.Errorf("bad email: %v, want an error naming PORTAL_SITE_FILE and the field email", err)
	}
	good := filepath.Join(t.TempDir(), "site.toml")
	if err := os.WriteFile(good, []byte(strings.Replace(string(demo), "demo = true", "demo = false", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	c, _, err = loadConfig(envOf(map[string]string{"PORTAL_SITE_FILE": good}), nil, nil)
	if err != nil || c.Site.IsDemo() || c.Site.Province(i18n.VI) != "tỉnh Minh Họa" {
		t.Errorf("good file: %v", err)
	}
}

package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"digiportal/i18n"
	"digiportal/server"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigRejectsBadValuesByName(t *testing.T) {
	tests := []struct {
		env  map[string]string
		args []string
		name string
	}{
		{map[string]string{"PORTAL_ADDR": "8080"}, nil, "PORTAL_ADDR"},
		{map[string]string{"DATABASE_URL": "mysql://u:p@h/db"}, nil, "DATABASE_URL"},
		{map[string]string{"PORTAL_BASE_URL": "ftp://x"}, nil, "PORTAL_BASE_URL"},
		{map[string]string{"PORTAL_BASE_URL": "https://portal.example.vn/sub"}, nil, "PORTAL_BASE_URL"},
		{map[string]string{"PORTAL_DEMO": "maybe"}, nil, "PORTAL_DEMO"},
		{map[string]string{"PORTAL_MAX_BODY_BYTES": "ten"}, nil, "PORTAL_MAX_BODY_BYTES"},
		{map[string]string{"PORTAL_REQUEST_TIMEOUT": "-1s"}, nil, "PORTAL_REQUEST_TIMEOUT"},
		{map[string]string{"PORTAL_LOG_LEVEL": "loud"}, nil, "PORTAL_LOG_LEVEL"},
		{map[string]string{"PORTAL_MAX_IN_FLIGHT": "0"}, nil, "PORTAL_MAX_IN_FLIGHT"},
		{nil, []string{"-max-in-flight", "many"}, "PORTAL_MAX_IN_FLIGHT"},
		{nil, []string{"-addr", "nonsense"}, "PORTAL_ADDR"},
	}
	for _, tt := range tests {
		_, _, err := loadConfig(envOf(tt.env), tt.args, nil)
		var ce *configError
		if !errors.As(err, &ce) || ce.Name != tt.name {
			t.Errorf("env %v args %v: err %v, want a configError naming %s", tt.env, tt.args, err, tt.name)
		}
	}
	// A password in a bad database URL is never echoed.
	_, _, err := loadConfig(envOf(map[string]string{"DATABASE_URL": "mysql://u:hunter2@h/db"}), nil, nil)
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %v shows the password", err)
	}
	c, _, err := loadConfig(envOf(nil), nil, nil)
	if err != nil || c.Addr != "127.0.0.1:8080" || c.BaseURL.String() != "http://127.0.0.1:8080" || c.DatabaseURL != "" {
		t.Errorf("defaults: %+v, %v", c, err)
	}
	c, _, err = loadConfig(envOf(map[string]string{"PORTAL_ADDR": "127.0.0.1:9"}), []string{"-addr", "127.0.0.1:7"}, nil)
	if err != nil || c.Addr != "127.0.0.1:7" {
		t.Errorf("a flag does not override the environment: %+v %v", c, err)
	}
	if c.MaxInFlight != server.DefaultMaxInFlight() || c.MaxInFlight < 32 {
		t.Errorf("default requests in flight %d, want %d (32 per core)", c.MaxInFlight, server.DefaultMaxInFlight())
	}
	c, _, err = loadConfig(envOf(map[string]string{"PORTAL_MAX_IN_FLIGHT": "40"}), []string{"-max-in-flight", "8"}, nil)
	if err != nil || c.MaxInFlight != 8 {
		t.Errorf("-max-in-flight 8 over PORTAL_MAX_IN_FLIGHT=40: %d %v", c.MaxInFlight, err)
	}
}

func TestRunExitCodes(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"version"}, envOf(nil), &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "portal ") {
		t.Errorf("version: %d %q", code, out.String())
	}
	if code := run(context.Background(), []string{"frobnicate"}, envOf(nil), &out, &errOut); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	errOut.Reset()
	if code := run(context.Background(), nil, envOf(map[string]string{"PORTAL_LOG_LEVEL": "loud"}), &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "PORTAL_LOG_LEVEL") {
		t.Errorf("bad config: exit %d, stderr %q", code, errOut.String())
	}
	dir := t.TempDir()
	env := envOf(map[string]string{"PORTAL_DATA_DIR": dir})
	if code := run(context.Background(), []string{"user", "create", "--email", "a@example.test", "--role", "commune_official"}, env, &out, &errOut); code != 2 {
		t.Errorf("official without unit: exit %d, want 2", code)
	}
	out.Reset()
	if code := run(context.Background(), []string{"user", "create", "--email", "admin@example.test", "--role", "admin"}, env, &out, &errOut); code != 0 {
		t.Fatalf("user create: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "/vi/set-password/") {
		t.Errorf("user create printed no link: %q", out.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"migrate"}, env, &out, &errOut); code != 0 || !strings.Contains(out.String(), "up to date") {
		t.Errorf("migrate on a migrated database: %d %q", code, out.String())
	}
}

// TestServeUntilDrains checks graceful shutdown: once the context ends,
// readiness fails, a request in flight still finishes, and serving returns
// no error.
func TestServeUntilDrains(t *testing.T) {
	ready := new(atomic.Bool)
	release := make(chan struct{})
	started := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "done")
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if !ready.Load() {
			w.WriteHeader(503)
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- serveUntil(ctx, &http.Server{Handler: mux}, ln, ready, 300*time.Millisecond, 5*time.Second)
	}()

	slow := make(chan string, 1)
	go func() {
		res, err := http.Get(base + "/slow")
		if err != nil {
			slow <- "error: " + err.Error()
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		slow <- string(b)
	}()
	<-started
	cancel()
	// During the drain delay the listener is open and readiness fails.
	deadline := time.Now().Add(2 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 503 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("readiness never turned 503 during shutdown")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	if got := <-slow; got != "done" {
		t.Errorf("in-flight request got %q, want done", got)
	}
	if err := <-served; err != nil {
		t.Errorf("serveUntil = %v, want nil", err)
	}
}

// TestProcessExitsZeroOnSIGTERM runs the real binary on a fresh embedded
// database (the README's first command), waits until it is ready, stops it
// with SIGTERM and expects exit code 0.
func TestProcessExitsZeroOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "portal")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PORTAL_ADDR="+addr, "PORTAL_DATA_DIR="+t.TempDir(), "DATABASE_URL=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("never ready\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if res, err := http.Get("http://" + addr + "/vi/"); err != nil || res.StatusCode != 200 {
		t.Errorf("home page: %v %v", res, err)
	}
	if !strings.Contains(stdout.String(), "http://"+addr+"/") {
		t.Errorf("the URL to open was not printed: %q", stdout.String())
	}
	// The start says its steps and the demo accounts in plain words on
	// stdout, not only as JSON on stderr.
	printed := stdout.String()
	for _, want := range []string{"- Opening the database", "- Migrating:", "- Loading demo data", "- Listening on " + addr, "portal seed --demo", "ROLE", "PASSWORD", "TOTP"} {
		if !strings.Contains(printed, want) {
			t.Errorf("stdout lacks %q:\n%s", want, printed)
		}
	}
	if n := len(printedPasswords(t, printed)); n != 5 {
		t.Errorf("stdout shows %d demo accounts in the table, want 5:\n%s", n, printed)
	}
	if strings.Contains(printed, `{"time"`) {
		t.Errorf("JSON log lines on stdout:\n%s", printed)
	}
	if !strings.Contains(stderr.String(), "demo account created") {
		t.Error("a new embedded database did not print its demo accounts")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v, want 0\n%s", err, stderr.String())
	}
}

// TestConfigMetricsNetworks: /metrics is for the machine itself unless
// PORTAL_METRICS_NETWORKS (or -metrics-networks) names other networks, and
// a value that is not a list of CIDR networks stops the start.
func TestConfigMetricsNetworks(t *testing.T) {
	tests := []struct {
		env  string
		args []string
		want string // the networks as text; "" means refused
	}{
		{"", nil, "127.0.0.0/8 ::1/128"},
		{"10.0.0.0/8, 192.168.1.0/24", nil, "10.0.0.0/8 192.168.1.0/24"},
		{"10.1.2.3/16,fd00::/8", nil, "10.1.0.0/16 fd00::/8"},
		{"10.0.0.0/8", []string{"-metrics-networks", "172.16.0.0/12"}, "172.16.0.0/12"},
		{"10.0.0.1", nil, ""},
		{"10.0.0.0/33", nil, ""},
		{"127.0.0.0/8,", nil, ""},
		{"everyone", nil, ""},
		{"", []string{"-metrics-networks", "localhost"}, ""},
	}
	for _, tt := range tests {
		c, _, err := loadConfig(envOf(map[string]string{"PORTAL_METRICS_NETWORKS": tt.env}), tt.args, nil)
		if tt.want == "" {
			var ce *configError
			if !errors.As(err, &ce) || ce.Name != "PORTAL_METRICS_NETWORKS" {
				t.Errorf("%q %v: err %v, want a configError naming PORTAL_METRICS_NETWORKS", tt.env, tt.args, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q %v: %v", tt.env, tt.args, err)
			continue
		}
		var got []string
		for _, p := range c.MetricsNetworks {
			got = append(got, p.String())
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%q %v: got %v, want %s", tt.env, tt.args, got, tt.want)
		}
	}
}

// TestImportCommandsWordTableLimits checks that a file too wide to import,
// or with a control character in a cell, is refused by both import
// commands with the English message of the import pages, and exit code 1.
func TestImportCommandsWordTableLimits(t *testing.T) {
	dir := t.TempDir()
	bundle, err := i18n.NewBundle()
	if err != nil {
		t.Fatal(err)
	}
	l := bundle.Localizer(i18n.EN)
	env := envOf(map[string]string{"PORTAL_DATA_DIR": dir})
	for _, f := range []struct {
		name, data, want string
	}{
		{"wide.csv", "Mã TP,Tỉnh Thành Phố\n79" + strings.Repeat(",", 64) + "x\n", l.T("indicators.import.error.limit_columns", "Limit", "64", "Row", "2")},
		{"nul.csv", "Mã TP,Tỉnh Thành Phố\x00\n79,Thành phố Hồ Chí Minh\n", l.N("indicators.import.error.characters", 1, "Cell", "B1")},
	} {
		file := filepath.Join(dir, f.name)
		if err := os.WriteFile(file, []byte(f.data), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"units", "import", "--day", "2025-07-01", file},
			{"units", "import", "--day", "2025-07-01", "--mapping", file},
			{"indicators", "import", "--dry-run", file},
		} {
			var out, errOut bytes.Buffer
			code := run(context.Background(), args, env, &out, &errOut)
			if code != 1 || !strings.Contains(errOut.String(), "portal: "+f.want) {
				t.Errorf("%v: exit %d, stderr %q; want 1 and %q", args, code, errOut.String(), f.want)
			}
		}
	}
}

// TestServeOnBusyPortStopsFirst: a port in use stops the start before
// anything is written. It used to stop after the migration and the demo
// data, whose passwords were made and never shown: the next start found
// the database and loaded no demo, so the newcomer had no account.
func TestServeOnBusyPortStopsFirst(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := t.TempDir()
	env := map[string]string{"PORTAL_ADDR": busy.Addr().String(), "PORTAL_DATA_DIR": dir}
	cfg, _, err := loadConfig(func(k string) string { return env[k] }, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL = ""
	var stdout bytes.Buffer
	err = serve(context.Background(), cfg, slog.New(slog.DiscardHandler), &stdout)
	if err == nil || !strings.Contains(err.Error(), "PORTAL_ADDR") {
		t.Fatalf("serve = %v, want an error naming PORTAL_ADDR", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("the data directory holds %d files after a start that could not listen, want none", len(entries))
	}
	if strings.Contains(stdout.String(), "Loading demo data") {
		t.Errorf("demo data loaded before the port was known to be free:\n%s", stdout.String())
	}
}

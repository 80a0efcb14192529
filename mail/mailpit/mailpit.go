// Package mailpit runs Mailpit, an SMTP server that keeps what it receives
// and shows it through an HTTP API, for tests that send real e-mail.
//
// Mailpit is pinned in go.mod as a tool dependency and built with `go tool
// -n mailpit`, which keeps the binary in Go's build cache. Each call of
// Start runs a fresh Mailpit on free ports of the loopback interface, so
// tests see only their own messages; it stops at the test's cleanup.
// Without Mailpit the test is skipped, or under CI=true fails.
//
// It imports only the standard library; only tests use it.
package mailpit

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running Mailpit.
type Server struct {
	SMTPHost string
	SMTPPort int
	API      string // the HTTP base URL
}

// SMTPURL is the server as PORTAL_SMTP_URL takes it.
func (s *Server) SMTPURL() string {
	return "smtp://" + net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPort))
}

var binary struct {
	once sync.Once
	path string
	err  error
}

// Start runs a new Mailpit for the test and returns it once it answers.
func Start(t testing.TB) *Server {
	t.Helper()
	binary.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "go", "tool", "-n", "mailpit").Output()
		binary.path, binary.err = strings.TrimSpace(string(out)), err
	})
	if binary.err != nil {
		msg := fmt.Sprintf("mailpit: build (go tool -n mailpit): %v", binary.err)
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (CI=true: a missing Mailpit is a failure)", msg)
		}
		t.Skipf("\n\n*** SKIPPING MAILPIT TEST: %s ***\n", msg)
	}
	var last error
	for range 3 { // a free port can be taken between finding it and binding it
		s, err := run(t, binary.path)
		if err == nil {
			return s
		}
		last = err
	}
	t.Fatalf("mailpit: %v", last)
	return nil
}

// freePort is a port of 127.0.0.1 nobody listens on right now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func run(t testing.TB, bin string) (*Server, error) {
	smtpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{SMTPHost: "127.0.0.1", SMTPPort: smtpPort, API: fmt.Sprintf("http://127.0.0.1:%d", httpPort)}
	cmd := exec.Command(bin, "--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort), "--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--disable-version-check")
	cmd.SysProcAttr = sysProcAttr()
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	exited := make(chan error, 1)
	var logMu sync.Mutex
	var logText strings.Builder
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			logMu.Lock()
			logText.WriteString(sc.Text() + "\n")
			logMu.Unlock()
		}
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	// Ready when the API answers; Mailpit opens SMTP before HTTP.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			logMu.Lock()
			defer logMu.Unlock()
			return nil, fmt.Errorf("mailpit exited (%v):\n%s", err, logText.String())
		default:
		}
		res, err := http.Get(s.API + "/api/v1/info")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		time.Sleep(20 * time.Millisecond) // waiting for a process to listen, not for a result
	}
	return nil, fmt.Errorf("mailpit did not answer within 30s")
}

// Message is a received message as the tests read it.
type Message struct {
	ID      string
	From    string
	To      []string
	Subject string
	Text    string
	HTML    string
}

// Messages returns every message received so far, newest first, with
// their bodies.
func (s *Server) Messages(t testing.TB) []Message {
	t.Helper()
	var list struct {
		Messages []struct {
			ID string `json:"ID"`
		} `json:"messages"`
	}
	s.getJSON(t, "/api/v1/messages?limit=100", &list)
	out := make([]Message, 0, len(list.Messages))
	for _, m := range list.Messages {
		var full struct {
			ID   string `json:"ID"`
			From struct {
				Name, Address string
			} `json:"From"`
			To []struct {
				Name, Address string
			} `json:"To"`
			Subject string `json:"Subject"`
			Text    string `json:"Text"`
			HTML    string `json:"HTML"`
		}
		s.getJSON(t, "/api/v1/message/"+url.PathEscape(m.ID), &full)
		msg := Message{ID: full.ID, From: full.From.Address, Subject: full.Subject, Text: full.Text, HTML: full.HTML}
		if full.From.Name != "" {
			msg.From = full.From.Name + " <" + full.From.Address + ">"
		}
		for _, to := range full.To {
			msg.To = append(msg.To, to.Address)
		}
		out = append(out, msg)
	}
	return out
}

func (s *Server) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	res, err := http.Get(s.API + path)
	if err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("mailpit %s: %s\n%s", path, res.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
}

// Package stripemock runs Stripe's own API mock, stripe-mock, for tests,
// so that every request the portal sends to Stripe is validated against
// Stripe's published API description without touching the internet.
//
// stripe-mock is pinned in go.mod as a tool dependency and built with
// `go tool -n stripe-mock`, which keeps the binary in Go's build cache: the
// first build on a machine takes a while, later ones are instant. One mock
// serves a whole test binary (it keeps no state), started on a free port
// at first use. STRIPE_MOCK_URL points the tests at a mock already running
// instead.
//
// It imports only the standard library; only tests use it.
package stripemock

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestKey is a made-up test-mode key: stripe-mock accepts any sk_test_
// key of letters and digits.
const TestKey = "sk_test_123digiportalStripeMock"

var shared struct {
	once sync.Once
	url  string
	err  error
}

// URL returns the base URL of a running stripe-mock, starting one the
// first time. It fails the test when stripe-mock cannot run.
func URL(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() {
		if u := os.Getenv("STRIPE_MOCK_URL"); u != "" {
			shared.url = strings.TrimSuffix(u, "/")
			return
		}
		shared.url, shared.err = start()
	})
	if shared.err != nil {
		t.Fatalf("stripemock: %v", shared.err)
	}
	return shared.url
}

// start builds (or finds in the build cache) and runs stripe-mock on free
// ports of the loopback interface and returns its HTTP base URL.
func start() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "tool", "-n", "stripe-mock").Output()
	if err != nil {
		return "", fmt.Errorf("build stripe-mock (go tool -n stripe-mock): %w", err)
	}
	bin := strings.TrimSpace(string(out))

	type started struct {
		url string
		err error
	}
	ready := make(chan started, 1)
	// The mock is started from a goroutine that keeps its OS thread for
	// good: on Linux the mock is killed when that thread ends, which is
	// when the test binary exits, so no mock outlives its tests.
	go func() {
		runtime.LockOSThread()
		cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
		cmd.SysProcAttr = sysProcAttr()
		cmd.Stderr = io.Discard
		stdout, err := cmd.StdoutPipe()
		if err == nil {
			err = cmd.Start()
		}
		if err != nil {
			ready <- started{err: fmt.Errorf("start %s: %w", bin, err)}
			return
		}
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			if addr, ok := strings.CutPrefix(line, "Listening for HTTP at address: "); ok && !sent {
				ready <- started{url: "http://" + strings.TrimSpace(addr)}
				sent = true
			}
		}
		err = cmd.Wait()
		if !sent {
			ready <- started{err: fmt.Errorf("stripe-mock exited before listening: %v", err)}
		}
		select {} // keep the thread, and with it the mock, for the test binary's life
	}()
	select {
	case s := <-ready:
		return s.url, s.err
	case <-time.After(30 * time.Second):
		return "", fmt.Errorf("stripe-mock did not start listening within 30s")
	}
}

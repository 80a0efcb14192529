package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"digiportal/database"
)

// TestSIGTERMLosesNoViewCount: lesson views are counted in memory and
// written every few seconds; a SIGTERM a moment after the views (before
// any periodic write) still finds every one of them in the database once
// the portal has stopped. The signal is a real SIGTERM to this process,
// caught by the serve command as in production.
func TestSIGTERMLosesNoViewCount(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	env := map[string]string{"PORTAL_ADDR": addr, "PORTAL_DATA_DIR": dir, "PORTAL_DEMO": "false", "PORTAL_LOG_LEVEL": "error"}
	code := make(chan int, 1)
	go func() { code <- run(context.Background(), nil, envOf(env), io.Discard, io.Discard) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		select {
		case c := <-code:
			t.Fatalf("the portal stopped with %d before it was ready", c)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("never ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
	const views = 60
	var wg sync.WaitGroup
	for i := range views {
		wg.Go(func() {
			lang := "vi"
			if i%2 == 1 {
				lang = "en"
			}
			res, err := http.Get("http://" + addr + "/" + lang + "/lessons/dich-vu-cong-truc-tuyen")
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Errorf("lesson page: status %d", res.StatusCode)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		<-code
		t.FailNow()
	}
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit code %d after SIGTERM, want 0", c)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the portal did not stop after SIGTERM")
	}
	ctx := context.Background()
	db, err := database.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got int64
	if err := db.NewRaw("SELECT COALESCE(SUM(views), 0) FROM lesson_usage WHERE slug = ?", "dich-vu-cong-truc-tuyen").Scan(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if got != views {
		t.Errorf("%d views in the database after SIGTERM, want %d", got, views)
	}
}

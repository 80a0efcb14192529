package payments

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSessionCacheSharesOneCall: requests for a session while its call is
// in flight wait for that call; answers (failures too) serve for the
// interval; then Stripe is asked again, once.
func TestSessionCacheSharesOneCall(t *testing.T) {
	t.Parallel()
	var clock atomic.Int64
	now := func() time.Time { return time.Unix(clock.Load(), 0) }
	c := newSessionCache(5*time.Second, now)
	var calls atomic.Int32
	release := make(chan struct{})
	var fail atomic.Bool
	fetch := func(context.Context) (sessionObject, error) {
		calls.Add(1)
		<-release
		if fail.Load() {
			return sessionObject{}, ErrStripeBusy
		}
		return sessionObject{ID: "cs_1", Status: "open"}, nil
	}

	const views = 50
	var wg sync.WaitGroup
	errs := make(chan error, views)
	for range views {
		wg.Go(func() {
			obj, err := c.get(context.Background(), "cs_1", fetch)
			if err == nil && obj.ID != "cs_1" {
				err = errors.New("wrong session " + obj.ID)
			}
			errs <- err
		})
	}
	// Let the views pile up on the one call before it answers.
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d views at once made %d calls, want 1", views, n)
	}
	for range views {
		if _, err := c.get(context.Background(), "cs_1", fetch); err != nil {
			t.Fatal(err)
		}
	}
	clock.Add(4)
	c.get(context.Background(), "cs_1", fetch)
	if n := calls.Load(); n != 1 {
		t.Fatalf("views within the interval made %d calls, want still 1", n)
	}
	clock.Add(1)
	fail.Store(true)
	if _, err := c.get(context.Background(), "cs_1", fetch); !errors.Is(err, ErrStripeBusy) {
		t.Fatalf("after the interval: %v, want the new call's failure", err)
	}
	if _, err := c.get(context.Background(), "cs_1", fetch); !errors.Is(err, ErrStripeBusy) || calls.Load() != 2 {
		t.Fatalf("a failure is not kept for the interval: %v, %d calls; want ErrStripeBusy, 2", err, calls.Load())
	}
	c.get(context.Background(), "cs_2", fetch)
	if n := calls.Load(); n != 3 {
		t.Fatalf("another session made %d calls in all, want 3", n)
	}
}

// TestSessionCacheWaiterLeaves: a request waiting on another's call can
// give up with its own context; the call goes on for the others.
func TestSessionCacheWaiterLeaves(t *testing.T) {
	t.Parallel()
	c := newSessionCache(5*time.Second, time.Now)
	release := make(chan struct{})
	started := make(chan struct{})
	fetch := func(context.Context) (sessionObject, error) {
		close(started)
		<-release
		return sessionObject{ID: "cs_1"}, nil
	}
	go c.get(context.Background(), "cs_1", fetch)
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.get(ctx, "cs_1", fetch); !errors.Is(err, context.Canceled) {
		t.Fatalf("a waiter whose request ended got %v, want context.Canceled", err)
	}
	close(release)
}

// TestSessionCacheBounded: past maxCachedSessions, old answers go.
func TestSessionCacheBounded(t *testing.T) {
	t.Parallel()
	var clock atomic.Int64
	c := newSessionCache(5*time.Second, func() time.Time { return time.Unix(clock.Load(), 0) })
	fetch := func(context.Context) (sessionObject, error) { return sessionObject{}, nil }
	for i := range 3 * maxCachedSessions {
		c.get(context.Background(), time.Unix(int64(i), 0).String(), fetch)
		clock.Add(1)
	}
	if n := len(c.entries); n > maxCachedSessions+1 {
		t.Fatalf("%d answers kept, want at most %d", n, maxCachedSessions+1)
	}
}

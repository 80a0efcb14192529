package accounts

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestHashingIsBounded: with every slot taken and the queue full, a hash
// is refused at once with ErrBusy instead of waiting without end; a hash
// in the queue waits at most maxWait.
func TestHashingIsBounded(t *testing.T) {
	ctx := context.Background()
	p := NewPasswords(1)
	p.all.maxWait = 50 * time.Millisecond
	p.all.run <- struct{}{} // the one slot is busy
	start := time.Now()
	if _, err := p.Hash(ctx, "một câu dài để thử"); !errors.Is(err, ErrBusy) {
		t.Fatalf("hash with no slot free for maxWait: %v, want ErrBusy", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("a hash waited %s for a slot, want about maxWait", took)
	}
	for range cap(p.all.wait) {
		p.all.wait <- struct{}{}
	}
	p.all.maxWait = time.Hour
	start = time.Now()
	if ok, err := p.Verify(ctx, "x", "$argon2id$v=19$m=47104,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$5Gx1Yk6dtwYp0xF4Kg1HbQ8n1Jk9cD1yJ0U1Zr3wQeE"); ok || !errors.Is(err, ErrBusy) {
		t.Fatalf("check with a full queue: %v, %v, want ErrBusy", ok, err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("a full queue refused after %s, want at once", took)
	}
}

// TestSignUpsCannotStarveSignIn: sign-ups' hashes run on at most half the
// slots; with those taken and the sign-ups' queue full another sign-up is
// refused as busy at once, and a sign-in's check still runs.
func TestSignUpsCannotStarveSignIn(t *testing.T) {
	ctx := context.Background()
	p := NewPasswords(4)
	hash, err := p.Hash(ctx, "mật khẩu đúng rồi")
	if err != nil {
		t.Fatal(err)
	}
	if cap(p.signups.run) != 2 {
		t.Fatalf("sign-ups may run on %d of 4 slots, want 2", cap(p.signups.run))
	}
	for range cap(p.signups.run) {
		p.signups.run <- struct{}{}
	}
	for range cap(p.signups.wait) {
		p.signups.wait <- struct{}{}
	}
	p.signups.maxWait = time.Hour
	start := time.Now()
	if _, _, err := SignUp(ctx, nil, p, Actor{}, Registration{Email: "moi@example.test", Role: RoleResident, Password: "bốn từ không liên quan"}); !errors.Is(err, ErrBusy) {
		t.Errorf("sign-up with the sign-ups' places taken: %v, want ErrBusy", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("the refusal took %s, want at once", took)
	}
	if ok, err := p.Verify(ctx, "mật khẩu đúng rồi", hash); !ok || err != nil {
		t.Errorf("sign-in's check while sign-ups are busy: %v, %v", ok, err)
	}
	<-p.signups.wait // a place in the queue: the next sign-up waits its turn
	p.signups.maxWait = 20 * time.Millisecond
	if _, err := p.hashNewAccount(ctx, "bốn từ không liên quan"); !errors.Is(err, ErrBusy) {
		t.Errorf("a sign-up that waited past maxWait: %v, want ErrBusy", err)
	}
}

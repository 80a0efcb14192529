package accounts

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPasswordPolicy(t *testing.T) {
	p := NewPasswords(2)
	if p.CommonCount() < 1000 {
		t.Fatalf("common list has %d entries, want at least 1000", p.CommonCount())
	}
	tests := []struct {
		name, pw, email string
		want            error
	}{
		{"seven ascii", "abcdefg", "", ErrPasswordShort},
		// 7 characters but 11 bytes: counted as 7 characters.
		{"seven vietnamese", "mậtkhẩu", "", ErrPasswordShort},
		{"eight vietnamese", "mậtkhẩuơ", "", nil},
		{"eight ascii", "tr4ngvuo", "", nil},
		{"sixty-four", strings.Repeat("ab", 32), "", nil},
		{"128 vietnamese", strings.Repeat("ạb", 64), "", nil},
		{"129", strings.Repeat("x", 64) + strings.Repeat("y", 65), "", ErrPasswordLong},
		{"common", "password", "", ErrPasswordCommon},
		{"common any case", "PassWord123", "", ErrPasswordCommon},
		{"vietnamese common", "anhyeuem123", "", ErrPasswordCommon},
		{"same char", "aaaaaaaaaa", "", ErrPasswordCommon},
		{"email local part", "nguyen.van.a", "nguyen.van.a@example.vn", ErrPasswordCommon},
		{"no composition rule", "con mèo ngủ trên mái nhà", "", nil},
	}
	for _, tt := range tests {
		if got := p.Check(tt.pw, tt.email); !errors.Is(got, tt.want) {
			t.Errorf("%s: Check(%q) = %v, want %v", tt.name, tt.pw, got, tt.want)
		}
	}
}

func TestHashFormatAndVerify(t *testing.T) {
	p := NewPasswords(2)
	ctx := context.Background()
	h, err := p.Hash(ctx, "Đồng hồ treo tường 1975")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=47104,t=1,p=1$") {
		t.Errorf("hash %q does not carry the argon2id parameters", h)
	}
	h2, _ := p.Hash(ctx, "Đồng hồ treo tường 1975")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for pw, want := range map[string]bool{"Đồng hồ treo tường 1975": true, "Dong ho treo tuong 1975": false, "": false} {
		got, err := p.Verify(ctx, pw, h)
		if err != nil || got != want {
			t.Errorf("Verify(%q) = %v, %v; want %v", pw, got, err, want)
		}
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$a2V5a2V5a2V5a2V5a2V5", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5"} {
		if _, err := p.Verify(ctx, "x", bad); err == nil {
			t.Errorf("Verify accepted malformed hash %q", bad)
		}
	}
}

// TestHashCap checks that no more hashes run at once than the cap allows,
// and that a waiting caller gives up with its context.
func TestHashCap(t *testing.T) {
	p := NewPasswords(1)
	p.all.run <- struct{}{} // the only slot is taken
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := p.Hash(ctx, "whatever-long-enough"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Hash with no free slot = %v, want deadline exceeded", err)
	}
	<-p.all.run
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := p.Hash(context.Background(), "whatever-long-enough"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(p.all.run) != 0 {
		t.Errorf("%d slots still held after all hashes finished", len(p.all.run))
	}
}

func FuzzDecodeHash(f *testing.F) {
	f.Add("$argon2id$v=19$m=47104,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$5Gx1Yk6dtwYp0xF4Kg1HbQ8n1Jk9cD1yJ0U1Zr3wQeE")
	f.Add("$argon2id$v=19$m=0,t=0,p=0$$")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		m, tt, p, salt, key, err := decodeHash(s)
		if err == nil && (m == 0 || m > 1<<20 || tt == 0 || tt > 10 || p == 0 || len(key) < 16 || salt == nil) {
			t.Errorf("decodeHash(%q) accepted out-of-range parameters", s)
		}
	})
}

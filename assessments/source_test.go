package assessments

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

func TestSourceNetwork(t *testing.T) {
	for ip, want := range map[string]string{
		"203.0.113.57":             "203.0.113.0/24",
		"::ffff:203.0.113.9":       "203.0.113.0/24",
		"2001:db8:1234:5678::1":    "2001:db8:1234::/48",
		"2001:db8:1234:ffff::abcd": "2001:db8:1234::/48",
	} {
		if got, ok := sourceNetwork(ip); !ok || got != want {
			t.Errorf("sourceNetwork(%s) = %q, want %q", ip, got, want)
		}
	}
	if _, ok := sourceNetwork("not an address"); ok {
		t.Error("a non-address has a network")
	}
}

// TestSourceDays: results sent from one address, or from one network, on
// one day show as such; results without consent, from another day or
// from places that sent one each do not; nothing stored is an address.
func TestSourceDays(t *testing.T) {
	c, _ := LoadCatalog()
	m := c.Current()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 20, 5, 0, 0, 0, time.UTC)
		send := func(ip string, consent bool, at time.Time) {
			t.Helper()
			r := finished(t, db, c, shop, middleAnswers(m), consent, at)
			if err := RecordSource(ctx, db, r.ID, ip, at); err != nil {
				t.Fatal(err)
			}
		}
		for range 3 {
			send("203.0.113.57", true, now)
		}
		send("203.0.113.58", true, now)
		send("203.0.113.57", false, now)
		send("198.51.100.1", true, now.AddDate(0, 0, -1))
		send("198.51.100.2", true, now.AddDate(0, 0, -1).Add(-time.Hour))
		send("192.0.2.1", true, now.AddDate(0, 0, -2))
		days, err := SourceDays(ctx, db, m.Version, now)
		if err != nil {
			t.Fatal(err)
		}
		want := []SourceDay{{Day: "2026-11-20", Sent: 4, MaxAddr: 3, MaxNet: 4}, {Day: "2026-11-19", Sent: 2, MaxAddr: 1, MaxNet: 2}}
		if len(days) != len(want) || days[0] != want[0] || days[1] != want[1] {
			t.Errorf("SourceDays = %+v, want %+v", days, want)
		}
		// The same address on another day is another hash.
		var hashes []string
		if err := db.NewSelect().Model((*Response)(nil)).Column("source_addr").Where("source_addr <> ''").Scan(ctx, &hashes); err != nil {
			t.Fatal(err)
		}
		for _, h := range hashes {
			if len(h) != 32 {
				t.Errorf("stored source %q", h)
			}
		}
	})
}

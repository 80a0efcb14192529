package assessments

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
)

// Where results come from. Anyone may send consented results, so one
// person could send many and sway the figures. The portal keeps, with each
// sent result, a keyed hash of the client address and one of its network
// (the /24 of an IPv4 address, the /48 of an IPv6 one), each keyed by the
// day it was sent: officials can see that many results came from one place
// on one day, and no one can read an address back, try every address
// against the hashes without the portal's secret, or follow a place from
// one day to the next.

// SourceWindowDays is how many days back the officials' page looks.
const SourceWindowDays = 90

// sourceNetwork is the network an address belongs to, as text.
func sourceNetwork(ip string) (string, bool) {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return "", false
	}
	a = a.Unmap()
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return "", false
	}
	return p.String(), true
}

// RecordSource stores where the sent response id came from: ip, the
// client's address, as keyed hashes for the day of at.
func RecordSource(ctx context.Context, db bun.IDB, id, ip string, at time.Time) error {
	day := at.In(Zone()).Format(time.DateOnly)
	network, ok := sourceNetwork(ip)
	if !ok {
		network = ip
	}
	addr, err := accounts.KeyedHash(ctx, db, "assessment-source-addr", day+" "+ip)
	if err != nil {
		return fmt.Errorf("assessments.RecordSource: %w", err)
	}
	nw, err := accounts.KeyedHash(ctx, db, "assessment-source-net", day+" "+network)
	if err != nil {
		return fmt.Errorf("assessments.RecordSource: %w", err)
	}
	_, err = db.NewUpdate().Model((*Response)(nil)).
		Set("source_addr = ?", addr).Set("source_net = ?", nw).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("assessments.RecordSource: %w", err)
	}
	return nil
}

// SourceDay is one day on which some place sent more than one consented
// result.
type SourceDay struct {
	Day     string // YYYY-MM-DD in Asia/Ho_Chi_Minh
	Sent    int64  // consented results sent that day
	MaxAddr int64  // the most from one address
	MaxNet  int64  // the most from one network
}

// SourceDays lists, newest first, the days of the last SourceWindowDays before
// now on which more than one consented result of model came from one
// address or one network.
func SourceDays(ctx context.Context, db bun.IDB, model string, now time.Time) ([]SourceDay, error) {
	var rows []struct {
		SubmittedAt time.Time `bun:"submitted_at"`
		SourceAddr  string    `bun:"source_addr"`
		SourceNet   string    `bun:"source_net"`
	}
	err := db.NewSelect().Model((*Response)(nil)).Column("submitted_at", "source_addr", "source_net").
		Where("response.submitted_at >= ?", now.AddDate(0, 0, -SourceWindowDays).UTC()).
		Where("response.consent_version <> ''").
		Where("response.model_version = ?", model).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("assessments.SourceDays: %w", err)
	}
	type tally struct {
		sent       int64
		addr, netw map[string]int64
	}
	days := map[string]*tally{}
	for _, r := range rows {
		d := r.SubmittedAt.In(Zone()).Format(time.DateOnly)
		t := days[d]
		if t == nil {
			t = &tally{addr: map[string]int64{}, netw: map[string]int64{}}
			days[d] = t
		}
		t.sent++
		if r.SourceAddr != "" {
			t.addr[r.SourceAddr]++
		}
		if r.SourceNet != "" {
			t.netw[r.SourceNet]++
		}
	}
	var out []SourceDay
	for d, t := range days {
		sd := SourceDay{Day: d, Sent: t.sent}
		for _, n := range t.addr {
			sd.MaxAddr = max(sd.MaxAddr, n)
		}
		for _, n := range t.netw {
			sd.MaxNet = max(sd.MaxNet, n)
		}
		if sd.MaxAddr > 1 || sd.MaxNet > 1 {
			out = append(out, sd)
		}
	}
	slices.SortFunc(out, func(a, b SourceDay) int { return strings.Compare(b.Day, a.Day) })
	return out, nil
}

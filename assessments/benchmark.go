package assessments

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// GroupKind is the kind of peer group a result is compared with.
type GroupKind string

// Peer groups, closest first.
const (
	SameSectorSize GroupKind = "sector-size"
	SameSize       GroupKind = "size"
	SameSector     GroupKind = "sector"
	AllBusinesses  GroupKind = "all"
)

// PeerGroup is where a result sits among comparable businesses. When the
// group holds fewer than MinGroup results it is Suppressed and carries no
// figures at all (not even N).
type PeerGroup struct {
	Kind       GroupKind
	Suppressed bool
	N          int
	Q1         float64 // overall percentage: lower quartile, median, upper quartile
	Median     float64
	Q3         float64
	Below      int                // results in the group that scored lower
	Pillars    map[string]float64 // median of each pillar's percentage
}

// BelowShare is the share of the group that scored lower, in percent.
func (g PeerGroup) BelowShare() float64 {
	if g.N == 0 {
		return 0
	}
	return 100 * float64(g.Below) / float64(g.N)
}

// Benchmark compares a submitted response with other businesses' latest
// consented results under the same model: the same sector and size class,
// the same size class, the same sector, and all. The business's own series
// is left out, so it is never compared with itself.
func Benchmark(ctx context.Context, db bun.IDB, r *Response) ([]PeerGroup, error) {
	if !r.Submitted() {
		return nil, fmt.Errorf("assessments.Benchmark: %w", ErrNotSubmitted)
	}
	groups := []struct {
		kind GroupKind
		f    Filter
	}{
		{SameSectorSize, Filter{Sector: r.Sector, Size: r.SizeClass}},
		{SameSize, Filter{Size: r.SizeClass}},
		{SameSector, Filter{Sector: r.Sector}},
		{AllBusinesses, Filter{}},
	}
	out := make([]PeerGroup, 0, len(groups))
	for _, g := range groups {
		var peers []Response
		q := db.NewSelect().Model(&peers).Column("score", "pillar_scores").
			Where("response.series_id <> ?", r.SeriesID)
		if err := g.f.apply(inStats(q, r.ModelVersion)).Scan(ctx); err != nil {
			return nil, fmt.Errorf("assessments.Benchmark: %w", err)
		}
		out = append(out, peerGroup(g.kind, r, peers))
	}
	return out, nil
}

func peerGroup(kind GroupKind, r *Response, peers []Response) PeerGroup {
	if len(peers) < MinGroup {
		return PeerGroup{Kind: kind, Suppressed: true}
	}
	g := PeerGroup{Kind: kind, N: len(peers), Pillars: map[string]float64{}}
	scores := make([]float64, len(peers))
	for i, p := range peers {
		scores[i] = p.Score
		if p.Score < r.Score {
			g.Below++
		}
	}
	g.Q1, g.Median, g.Q3 = quantile(scores, 0.25), quantile(scores, 0.5), quantile(scores, 0.75)
	for id := range r.PillarScores {
		vals := make([]float64, 0, len(peers))
		for _, p := range peers {
			if v, ok := p.PillarScores[id]; ok {
				vals = append(vals, v)
			}
		}
		if len(vals) >= MinGroup {
			g.Pillars[id] = quantile(vals, 0.5)
		}
	}
	return g
}

package server

import (
	"context"
	"sync"
	"time"

	"digiportal/indicators"
)

// The public dashboards' figures, gathered once per version of the data.
// Gathering a dashboard (indicators.BuildDashboard: units, definitions,
// targets and the roll-ups of twelve months) was half of the overview
// page's time, and the overview is not kept rendered because its table of
// the portal's own use changes with every lesson completed. What the
// public sees of the figures changes only with indicators.DataVersion,
// which every change writes in its transaction on whichever instance made
// it, and with the day; so the gathered dashboard is kept under the
// version and the day, and any other version finds nothing kept. An
// official's dashboard, which counts figures not yet approved, is
// gathered every time. The pages only read a dashboard.

// maxMemoDashboards bounds the dashboards kept for one version: each
// unit, range and indicator a visitor asks for is one, and a province's
// holds a row for each of its communes. When it is reached, what was kept
// is dropped and kept again as asked for.
const maxMemoDashboards = 64

type dashboardKey struct {
	today string
	q     indicators.Query
}

// dashboardMemo keeps the public dashboards of one data version.
type dashboardMemo struct {
	mu      sync.Mutex
	version string
	boards  map[dashboardKey]*indicators.Dashboard
}

// publicDashboard is indicators.BuildDashboard for a query without
// submitted figures, kept for the data version read before it is built: a
// change made while it is built has written a newer version, under which
// this one is never found.
func (s *indicatorsPart) publicDashboard(ctx context.Context, q indicators.Query, now time.Time) (*indicators.Dashboard, error) {
	if q.WithSubmitted {
		return indicators.BuildDashboard(ctx, s.db, q, now)
	}
	version, err := indicators.DataVersion(ctx, s.db)
	if err != nil {
		return nil, err
	}
	key := dashboardKey{today: indicators.Today(now), q: q}
	m := &s.dashboards
	m.mu.Lock()
	d := m.boards[key]
	if m.version != version {
		d = nil
	}
	m.mu.Unlock()
	if d != nil {
		return d, nil
	}
	d, err = indicators.BuildDashboard(ctx, s.db, q, now)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.boards == nil || m.version != version || len(m.boards) >= maxMemoDashboards {
		m.version, m.boards = version, map[dashboardKey]*indicators.Dashboard{}
	}
	m.boards[key] = d
	return d, nil
}

package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/uptrace/bun"

	"digiportal/indicators"
)

// holdingsTimeout bounds the query a scrape of /metrics makes.
const holdingsTimeout = 2 * time.Second

// holdingsCollector reports, at each scrape, what outside input has left
// stored in the database for later: the checked files waiting for their
// commit, which a flood of dry runs would grow.
type holdingsCollector struct {
	db    *bun.DB
	files *prometheus.Desc
	bytes *prometheus.Desc
}

func newHoldingsCollector(db *bun.DB) *holdingsCollector {
	return &holdingsCollector{
		db: db,
		files: prometheus.NewDesc("portal_pending_uploads",
			"Checked indicator files kept for their commit (at most a few per person, a day each).", nil, nil),
		bytes: prometheus.NewDesc("portal_pending_upload_bytes",
			"Bytes of the rows of the checked indicator files kept for their commit.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *holdingsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.files
	ch <- c.bytes
}

// Collect implements prometheus.Collector. A database that does not answer
// in time leaves the figures out of this scrape rather than holding it.
func (c *holdingsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), holdingsTimeout)
	defer cancel()
	h, err := indicators.PendingUploads(ctx, c.db)
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(c.files, prometheus.GaugeValue, float64(h.Files))
	ch <- prometheus.MustNewConstMetric(c.bytes, prometheus.GaugeValue, float64(h.Bytes))
}

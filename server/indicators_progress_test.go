package server

import (
	"strings"
	"testing"
	"time"

	"digiportal/database/dbtest"
)

// TestProgressPageDeadline: by the server's clock, the progress page
// measures against the 2025 targets until the end of 31 December 2025
// (Vietnam time), then says their deadline has passed and measures against
// the 2030 targets, showing both.
func TestProgressPageDeadline(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	vn := hcm(t)
	tests := []struct {
		name string
		now  time.Time
		path string
		want []string
		not  []string
	}{
		{"last minute of 2025", time.Date(2025, 12, 31, 23, 59, 0, 0, vn), "/en/indicators/progress",
			[]string{"the 2025 target of", "against the 2025 targets", "No national target is recorded for this indicator."},
			[]string{"has passed", "against the 2030 targets"}},
		{"first minute of 2026", time.Date(2026, 1, 1, 0, 1, 0, 0, vn), "/en/indicators/progress",
			[]string{"The deadline of the 2025 targets (31 Dec 2025) has passed.", "The deadline of the 2025 target (",
				"The 2030 target is 95%", "No 2030 target is recorded for it yet.", "against the 2030 targets",
				"No national target is recorded for this indicator."},
			[]string{"meeting the 2025 target", "below the 2025 target"}},
		{"December 2026, Vietnamese", time.Date(2026, 12, 7, 9, 0, 0, 0, vn), "/vi/indicators/progress",
			[]string{"Hạn của các mục tiêu năm 2025 (31/12/2025) đã qua.", "Mục tiêu năm 2030 là 95%", "so với mục tiêu năm 2030"},
			[]string{"so với mục tiêu năm 2025,"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts.srv.indicators.now = func() time.Time { return tt.now }
			res := ts.get(tt.path).mustStatus(t, 200)
			res.mustContain(t, tt.want...)
			for _, s := range tt.not {
				if strings.Contains(res.Body, s) {
					t.Errorf("%s at %s says %q", tt.path, tt.now, s)
				}
			}
		})
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// uploadDryRuns is how many clean dry runs the uploads attack makes; the
// portal used to keep every one, whole, for a day.
const uploadDryRuns = 20

// uploadPadding makes each file a megabyte (notes rows the import skips),
// as an attacker's would be, to see whether the file or its rows are kept.
const uploadPadding = 1 << 20

func init() {
	register(attack{name: "uploads", run: replayUploads})
}

var tokenInPage = regexp.MustCompile(`name="token" value="([^"]+)"`)

// replayUploads checks the same clean indicator file again and again as a
// commune official (ATTACKREPLAY_OFFICIAL_*), then reads from /metrics what
// the portal keeps, and tries to commit the first checked file, which a
// bounded portal has dropped.
func replayUploads(ctx context.Context, base string, c *http.Client) (string, error) {
	acct, ok := accountFromEnv("ATTACKREPLAY_OFFICIAL")
	if !ok {
		return "skipped: set ATTACKREPLAY_OFFICIAL_EMAIL, _PASSWORD and _TOTP to a commune official's account", nil
	}
	v := newPortalVisitor(c, base)
	if err := v.signIn(ctx, acct); err != nil {
		return "", err
	}
	form, err := v.get(ctx, "/en/reports/import")
	if err != nil {
		return "", err
	}
	if form.status != http.StatusOK {
		return "", fmt.Errorf("the import page answered %d to %s", form.status, acct.email)
	}
	units := optionValues(form.body, "t-unit")
	if len(units) == 0 {
		return "", fmt.Errorf("the import page offers %s no unit", acct.email)
	}
	padding := strings.Repeat(",,"+strings.Repeat("x", 1000)+"\n", uploadPadding/1003)
	fileFor := func(period string) []byte {
		return []byte("Mã đơn vị,Kỳ,Ghi chú,HH_TOTAL\n" + units[0] + "," + period + ",,1000\n" + padding)
	}
	// The first month the official may still enter makes a clean file.
	var file []byte
	var first string
	for _, period := range optionValues(form.body, "t-period") {
		res, err := v.postFile(ctx, "/en/reports/import", nil, "file", "replay.csv", fileFor(period))
		if err != nil {
			return "", err
		}
		if m := tokenInPage.FindStringSubmatch(res.body); res.status == http.StatusOK && m != nil {
			file, first = fileFor(period), m[1]
			break
		}
	}
	if file == nil {
		return "", fmt.Errorf("no month offered to %s takes a clean file (all submitted or approved?)", acct.email)
	}
	for range uploadDryRuns - 1 {
		res, err := v.postFile(ctx, "/en/reports/import", nil, "file", "replay.csv", file)
		if err != nil {
			return "", err
		}
		if res.status != http.StatusOK || !tokenInPage.MatchString(res.body) {
			return "", fmt.Errorf("a clean dry run answered %d without a checked file", res.status)
		}
	}
	sent := fmt.Sprintf("%d clean dry runs of a %.1f MB file", uploadDryRuns, float64(len(file))/1e6)
	kept := "files kept and bytes stored: not observable (no portal_pending_uploads in /metrics)"
	files, ferr := metricSum(ctx, c, base, "portal_pending_uploads")
	bytes, berr := metricSum(ctx, c, base, "portal_pending_upload_bytes")
	switch {
	case ferr == nil && berr == nil:
		kept = fmt.Sprintf("the portal keeps %.0f checked files in all, %.0f bytes", files, bytes)
	case !errors.Is(ferr, errNoMetrics) && ferr != nil:
		return "", ferr
	case !errors.Is(berr, errNoMetrics) && berr != nil:
		return "", berr
	}
	res, err := v.post(ctx, "/en/reports/import/commit", url.Values{"token": {first}})
	if err != nil {
		return "", err
	}
	oldest := fmt.Sprintf("the first checked file was still kept: its commit answered %d and saved it", res.status)
	if res.status != http.StatusOK {
		oldest = fmt.Sprintf("the first checked file was dropped (its commit answered %d, nothing saved)", res.status)
	}
	return sent + ": " + kept + "; " + oldest, nil
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// phase is what one attack measured.
type phase struct {
	throughput     float64 // successful requests per second
	p50, p99       time.Duration
	requests       uint64
	failed         uint64 // errors and answers other than 2xx and 304
	status503      uint64
	ok             uint64
	peakRSSMiB     float64 // the process's high-water mark, when known
	rate, duration float64
}

// classResult is one class's phases, portal and baseline.
type classResult struct {
	class                  pageClass
	portalMaxes, baseMaxes []float64 // per round
	portalFixed, baseFixed phase
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (r classResult) portalMax() float64 { return median(r.portalMaxes) }
func (r classResult) baseMax() float64   { return median(r.baseMaxes) }

// runClasses measures every class: the maximum-throughput phase round
// after round, portal then baseline, then the fixed rate on each.
func runClasses(ctx context.Context, classes []pageClass, portal, base string, o loadOptions) ([]classResult, error) {
	var out []classResult
	for _, c := range classes {
		r := classResult{class: c}
		for range o.rounds {
			for _, side := range []struct {
				url string
				to  *[]float64
			}{{portal, &r.portalMaxes}, {base, &r.baseMaxes}} {
				p, err := attack(ctx, side.url, c, 0, o.duration, o.connections)
				if err != nil {
					return nil, err
				}
				*side.to = append(*side.to, p.throughput)
			}
		}
		var err error
		if r.portalFixed, err = attack(ctx, portal, c, o.rate, o.duration, 0); err != nil {
			return nil, err
		}
		if r.baseFixed, err = attack(ctx, base, c, o.rate, o.duration, 0); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// attack sends class c to server at rate requests per second for d; rate
// 0 means as fast as conns connections go.
func attack(ctx context.Context, server string, c pageClass, rate int, d time.Duration, conns int) (phase, error) {
	if err := ctx.Err(); err != nil {
		return phase{}, err
	}
	opts := []func(*vegeta.Attacker){vegeta.KeepAlive(true), vegeta.Timeout(10 * time.Second), vegeta.HTTP2(false)}
	pacer := vegeta.Rate{Freq: rate, Per: time.Second}
	if rate == 0 {
		n := uint64(conns)
		opts = append(opts, vegeta.Workers(n), vegeta.MaxWorkers(n), vegeta.Connections(conns), vegeta.MaxConnections(conns))
	} else {
		opts = append(opts, vegeta.MaxWorkers(2000), vegeta.Connections(2000))
	}
	atk := vegeta.NewAttacker(opts...)
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: server + c.path, Header: c.header})
	var m vegeta.Metrics
	var p phase
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			atk.Stop()
		case <-done:
		}
	}()
	for res := range atk.Attack(tr, pacer, d, c.name) {
		m.Add(res)
		switch {
		case res.Code == http.StatusServiceUnavailable:
			p.status503++
			p.failed++
		case res.Error != "" || res.Code < 200 || (res.Code >= 300 && res.Code != http.StatusNotModified):
			p.failed++
		default:
			p.ok++
		}
	}
	close(done)
	m.Close()
	p.throughput, p.p50, p.p99, p.requests = m.Throughput, m.Latencies.P50, m.Latencies.P99, m.Requests
	p.rate, p.duration = m.Rate, m.Duration.Seconds()
	return p, ctx.Err()
}

// printLoadTable writes the results as a Markdown table.
func printLoadTable(w io.Writer, results []classResult, o loadOptions) {
	fmt.Fprintf(w, "Maximum throughput (%d connections, median of %d rounds of %s) and latency at %d requests/s (%s):\n\n",
		o.connections, o.rounds, o.duration, o.rate, o.duration)
	fmt.Fprintf(w, "| page | portal req/s | baseline req/s | portal ÷ baseline | portal at %d/s p50 / p99 / failed | baseline at %d/s p50 / p99 / failed |\n", o.rate, o.rate)
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | --- | --- |")
	for _, r := range results {
		ratio := 0.0
		if r.baseMax() > 0 {
			ratio = r.portalMax() / r.baseMax()
		}
		fmt.Fprintf(w, "| %s `%s` | %s | %s | %.0f%% | %s | %s |\n", r.class.name, r.class.path,
			rps(r.portalMax(), r.portalMaxes), rps(r.baseMax(), r.baseMaxes), 100*ratio, latencies(r.portalFixed), latencies(r.baseFixed))
	}
	fmt.Fprintln(w)
}

// rps words a median throughput with the rounds' spread.
func rps(med float64, all []float64) string {
	if len(all) < 2 {
		return strconv.Itoa(int(math.Round(med)))
	}
	return fmt.Sprintf("%d (%d–%d)", int(math.Round(med)), int(math.Round(slices.Min(all))), int(math.Round(slices.Max(all))))
}

func latencies(p phase) string {
	return fmt.Sprintf("%s / %s / %d of %d", ms(p.p50), ms(p.p99), p.failed, p.requests)
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64) + " ms"
}

// overloadRun sends class c at three times capacity (requests per second
// it reached at most) and measures what was served, what was refused with
// 503, the 99th percentile and the process's peak memory (which includes
// the load generator: both run in this process).
func overloadRun(ctx context.Context, c pageClass, portal string, capacity float64, d time.Duration) (phase, error) {
	rate := max(1, int(math.Round(3*capacity)))
	resetPeakRSS()
	p, err := attack(ctx, portal, c, rate, d, 0)
	p.peakRSSMiB = peakRSSMiB()
	p.rate = float64(rate)
	return p, err
}

func printOverload(w io.Writer, p phase) {
	fmt.Fprintf(w, "Overload: %d requests/s asked (3 × capacity) for %.1f s, %d sent: %d served, %d refused with 503, %d other failures, p99 %s, peak RSS of the process (portal and load generator) %s\n",
		int(p.rate), p.duration, p.requests, p.ok, p.status503, p.failed-p.status503, ms(p.p99), mib(p.peakRSSMiB))
	if la := loadAverage(); la != "" {
		fmt.Fprintf(w, "Load average after the run: %s\n", la)
	}
}

func mib(v float64) string {
	if v <= 0 {
		return "unknown"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " MiB"
}

// resetPeakRSS starts the high-water mark of resident memory afresh
// (Linux; elsewhere nothing happens).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSMiB reads the high-water mark of resident memory (Linux), or 0.
func peakRSSMiB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				return 0
			}
			return kb / 1024
		}
	}
	return 0
}

// loadAverage is the machine's load average (Linux), or "".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"digiportal/mail"
	"digiportal/payments"
	"digiportal/server"
	"digiportal/site"
)

// config is the whole configuration of the portal, read once at start-up
// from environment variables, which flags of the same meaning override.
type config struct {
	Addr           string
	DatabaseURL    string
	DataDir        string
	BaseURL        *url.URL
	Demo           *bool // nil: on for a new embedded database
	MaxBodyBytes   int64
	MaxUploadBytes int64
	// MaxInFlight is how many requests are served at once; more wait
	// briefly, then get 503 with Retry-After.
	MaxInFlight    int
	RequestTimeout time.Duration
	ShutdownGrace  time.Duration
	DrainDelay     time.Duration
	LogLevel       string
	// MetricsNetworks may read /metrics; everyone else gets 404.
	MetricsNetworks []netip.Prefix
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed; empty believes nobody's.
	TrustedProxies []netip.Prefix

	StripeSecretKey     string
	StripeWebhookSecret string
	StripeAPIBase       string
	// Payments is where fee payments are practised: "practice" (the
	// built-in checkout, offline) or "stripe" (Stripe's test mode).
	Payments string

	// Site is who runs the portal (PORTAL_SITE_FILE), or the embedded
	// demonstration when no file is given.
	Site *site.Site

	// SMTP, when set, is where e-mail goes (PORTAL_SMTP_URL and
	// PORTAL_MAIL_FROM); nil writes e-mail to the log.
	SMTP *mail.SMTP
}

// configError names the variable whose value stopped the start.
type configError struct {
	Name, Value, Why string
}

func (e *configError) Error() string {
	return fmt.Sprintf("configuration: %s=%q: %s", e.Name, e.Value, e.Why)
}

// loadConfig reads the environment (through getenv) and then args, which
// may also hold a command's own flags (added by extra). It returns the
// arguments left after the flags.
func loadConfig(getenv func(string) string, args []string, extra func(*flag.FlagSet)) (*config, []string, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("portal", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	addr := fs.String("addr", env("PORTAL_ADDR", "127.0.0.1:8080"), "listen address (PORTAL_ADDR)")
	dbURL := fs.String("database-url", env("DATABASE_URL", ""), "postgres://… or empty for the embedded SQLite file (DATABASE_URL)")
	dataDir := fs.String("data-dir", env("PORTAL_DATA_DIR", "./data"), "directory of the embedded database (PORTAL_DATA_DIR)")
	baseURL := fs.String("base-url", env("PORTAL_BASE_URL", ""), "absolute URL the portal is reached at (PORTAL_BASE_URL)")
	demo := boolText(env("PORTAL_DEMO", ""))
	fs.Var(&demo, "demo", "seed the demo data; -demo=false: do not; unset: on for a new embedded database (PORTAL_DEMO: true or false)")
	maxBody := fs.String("max-body", env("PORTAL_MAX_BODY_BYTES", "1048576"), "largest request body in bytes (PORTAL_MAX_BODY_BYTES)")
	maxUpload := fs.String("max-upload", env("PORTAL_MAX_UPLOAD_BYTES", "33554432"), "largest file upload in bytes, for imports (PORTAL_MAX_UPLOAD_BYTES)")
	maxInFlight := fs.String("max-in-flight", env("PORTAL_MAX_IN_FLIGHT", strconv.Itoa(server.DefaultMaxInFlight())), "requests served at once; more wait a quarter of a second, then get 503 (PORTAL_MAX_IN_FLIGHT; default 32 per core)")
	timeout := fs.String("request-timeout", env("PORTAL_REQUEST_TIMEOUT", "30s"), "time a request may take (PORTAL_REQUEST_TIMEOUT)")
	grace := fs.String("shutdown-grace", env("PORTAL_SHUTDOWN_GRACE", "20s"), "time in-flight requests get at shutdown (PORTAL_SHUTDOWN_GRACE)")
	drain := fs.String("drain-delay", env("PORTAL_DRAIN_DELAY", "0s"), "time /readyz fails before shutdown begins, for load balancers (PORTAL_DRAIN_DELAY)")
	paymentsMode := fs.String("payments", env("PORTAL_PAYMENTS", ""), "practice (the built-in offline checkout) or stripe (Stripe's test mode, needs STRIPE_SECRET_KEY); unset: stripe when a key is set, else practice (PORTAL_PAYMENTS)")
	logLevel := fs.String("log-level", env("PORTAL_LOG_LEVEL", "info"), "debug, info, warn or error (PORTAL_LOG_LEVEL)")
	siteFile := fs.String("site-file", env("PORTAL_SITE_FILE", ""), "TOML file naming the province, the managing agency and its contacts, with the privacy, terms and accessibility texts; unset: the built-in demonstration (PORTAL_SITE_FILE)")
	metricsNets := fs.String("metrics-networks", env("PORTAL_METRICS_NETWORKS", "127.0.0.0/8,::1/128"), "networks that may read /metrics, comma-separated CIDR (PORTAL_METRICS_NETWORKS)")
	trustedProxies := fs.String("trusted-proxies", env("PORTAL_TRUSTED_PROXIES", ""), "reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated CIDR; unset: nobody's (PORTAL_TRUSTED_PROXIES)")
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	c := &config{
		Addr: *addr, DatabaseURL: *dbURL, DataDir: *dataDir, LogLevel: *logLevel,
		// Secrets come from the environment only, never from flags, which
		// other users of the machine can read in the process list.
		StripeSecretKey:     getenv("STRIPE_SECRET_KEY"),
		StripeWebhookSecret: getenv("STRIPE_WEBHOOK_SECRET"),
		StripeAPIBase:       getenv("STRIPE_API_BASE"),
	}

	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return nil, nil, &configError{"PORTAL_ADDR", c.Addr, "want host:port, such as 127.0.0.1:8080"}
	}
	// The fee-payment practice runs on Stripe TEST keys only: a live key
	// stops the start. Secrets are never echoed, only their kind.
	if err := payments.CheckKey(c.StripeSecretKey); err != nil {
		return nil, nil, &configError{"STRIPE_SECRET_KEY", payments.RedactKey(c.StripeSecretKey), err.Error()}
	}
	if err := payments.CheckWebhookSecret(c.StripeWebhookSecret); err != nil {
		return nil, nil, &configError{"STRIPE_WEBHOOK_SECRET", "…", err.Error()}
	}
	switch c.Payments = *paymentsMode; {
	case c.Payments == "":
		c.Payments = "practice"
		if c.StripeSecretKey != "" {
			c.Payments = "stripe"
		}
	case c.Payments == "stripe" && c.StripeSecretKey == "":
		return nil, nil, &configError{"PORTAL_PAYMENTS", c.Payments, "stripe needs STRIPE_SECRET_KEY (a test key, sk_test_…); use practice for the built-in offline checkout"}
	case c.Payments != "practice" && c.Payments != "stripe":
		return nil, nil, &configError{"PORTAL_PAYMENTS", c.Payments, "want practice or stripe"}
	}
	if err := payments.CheckAPIBase(c.StripeAPIBase); err != nil {
		return nil, nil, &configError{"STRIPE_API_BASE", c.StripeAPIBase, err.Error()}
	}
	if raw := getenv("PORTAL_SMTP_URL"); raw != "" {
		smtp, err := mail.ParseSMTPURL(raw)
		if err != nil {
			return nil, nil, &configError{"PORTAL_SMTP_URL", mail.Redact(raw), err.Error()}
		}
		from := getenv("PORTAL_MAIL_FROM")
		if smtp.From, err = mail.ParseFrom(from); err != nil {
			return nil, nil, &configError{"PORTAL_MAIL_FROM", from, err.Error() + " (needed with PORTAL_SMTP_URL)"}
		}
		c.SMTP = &smtp
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return nil, nil, &configError{"DATABASE_URL", redact(c.DatabaseURL), "want postgres://… or leave it unset for the embedded database"}
	}
	if c.DataDir == "" {
		return nil, nil, &configError{"PORTAL_DATA_DIR", c.DataDir, "must not be empty"}
	}
	b := *baseURL
	if b == "" {
		b = "http://" + c.Addr
	}
	u, err := url.Parse(b)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, nil, &configError{"PORTAL_BASE_URL", b, "want an absolute http:// or https:// URL without a path"}
	}
	u.Path = ""
	c.BaseURL = u
	if demo != "" {
		d, err := strconv.ParseBool(string(demo))
		if err != nil {
			return nil, nil, &configError{"PORTAL_DEMO", string(demo), "want true or false"}
		}
		c.Demo = &d
	}
	n, err := strconv.ParseInt(*maxBody, 10, 64)
	if err != nil || n < 1024 || n > 64<<20 {
		return nil, nil, &configError{"PORTAL_MAX_BODY_BYTES", *maxBody, "want a whole number of bytes from 1024 to 67108864"}
	}
	c.MaxBodyBytes = n
	n, err = strconv.ParseInt(*maxUpload, 10, 64)
	if err != nil || n < c.MaxBodyBytes || n > 256<<20 {
		return nil, nil, &configError{"PORTAL_MAX_UPLOAD_BYTES", *maxUpload, "want a whole number of bytes, at least PORTAL_MAX_BODY_BYTES and at most 268435456"}
	}
	c.MaxUploadBytes = n
	m, err := strconv.Atoi(*maxInFlight)
	if err != nil || m < 1 || m > 100000 {
		return nil, nil, &configError{"PORTAL_MAX_IN_FLIGHT", *maxInFlight, "want a whole number of requests from 1 to 100000"}
	}
	c.MaxInFlight = m
	if c.RequestTimeout, err = duration("PORTAL_REQUEST_TIMEOUT", *timeout); err != nil {
		return nil, nil, err
	}
	if c.ShutdownGrace, err = duration("PORTAL_SHUTDOWN_GRACE", *grace); err != nil {
		return nil, nil, err
	}
	if c.DrainDelay, err = time.ParseDuration(*drain); err != nil || c.DrainDelay < 0 || c.DrainDelay > time.Minute {
		return nil, nil, &configError{"PORTAL_DRAIN_DELAY", *drain, "want a duration from 0s to 1m"}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return nil, nil, &configError{"PORTAL_LOG_LEVEL", c.LogLevel, "want debug, info, warn or error"}
	}
	if c.MetricsNetworks, err = networks(*metricsNets); err != nil {
		return nil, nil, &configError{"PORTAL_METRICS_NETWORKS", *metricsNets, err.Error()}
	}
	if strings.TrimSpace(*trustedProxies) != "" {
		if c.TrustedProxies, err = networks(*trustedProxies); err != nil {
			return nil, nil, &configError{"PORTAL_TRUSTED_PROXIES", *trustedProxies, err.Error()}
		}
	}
	if c.Site, err = loadSite(*siteFile); err != nil {
		return nil, nil, err
	}
	return c, fs.Args(), nil
}

// loadSite reads and checks the site file; "" means the demonstration.
func loadSite(path string) (*site.Site, error) {
	if path == "" {
		return site.Demo(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &configError{"PORTAL_SITE_FILE", path, err.Error()}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, site.MaxFileBytes+1))
	if err != nil {
		return nil, &configError{"PORTAL_SITE_FILE", path, err.Error()}
	}
	s, err := site.Parse(path, b)
	if err != nil {
		return nil, fmt.Errorf("configuration: PORTAL_SITE_FILE: %w", err)
	}
	return s, nil
}

// networks parses a comma-separated list of CIDR networks. An entry without
// its prefix length is refused rather than read as one address, so that a
// mistyped network stops the start instead of quietly shutting out a scraper.
func networks(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		p, err := netip.ParsePrefix(strings.TrimSpace(f))
		if err != nil {
			return nil, errors.New("want networks in CIDR form separated by commas, such as 127.0.0.0/8,::1/128")
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// boolText is the value of a flag that reads like a boolean one (-demo
// alone means true, -demo=false false) yet stays empty when neither the
// flag nor its variable is given, since "not said" has a meaning of its own.
// Its text is checked with the rest of the configuration.
type boolText string

func (b *boolText) String() string     { return string(*b) }
func (b *boolText) Set(s string) error { *b = boolText(s); return nil }
func (b *boolText) IsBoolFlag() bool   { return true }

func duration(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 || d > time.Hour {
		return 0, &configError{name, v, "want a duration such as 30s, more than 0 and at most 1h"}
	}
	return d, nil
}

// redact hides a password in a database URL before it is printed.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

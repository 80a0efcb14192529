package payments

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// Errors of the Stripe settings.
var (
	// ErrLiveKey: the practice must never move real money, so a live key
	// stops the start instead of being used.
	ErrLiveKey = errors.New("is a LIVE Stripe key; the fee-payment practice runs on TEST keys only (sk_test_… or rk_test_…)")
	// ErrBadKey: the value is not a Stripe secret or restricted key.
	ErrBadKey = errors.New("is not a Stripe secret key (want sk_test_… or rk_test_…)")
	// ErrPrefixOnly: the prefix alone, as left by a template or a paste
	// that lost the key; Stripe would refuse every request.
	ErrPrefixOnly = errors.New("is only the prefix, with no key after it: paste the whole test key from Stripe's Dashboard, or leave it unset for the built-in practice")
)

// CheckKey accepts an empty key (the practice is then not configured) and
// Stripe TEST secret or restricted keys; it refuses live keys and anything
// else. The error never repeats the key.
func CheckKey(key string) error {
	switch {
	case key == "":
		return nil
	case strings.HasPrefix(key, "sk_live_"), strings.HasPrefix(key, "rk_live_"):
		return ErrLiveKey
	case key == "sk_test_", key == "rk_test_":
		return ErrPrefixOnly
	case strings.HasPrefix(key, "sk_test_"), strings.HasPrefix(key, "rk_test_"):
		if strings.ContainsAny(key, " \t\r\n") {
			return ErrBadKey
		}
		return nil
	}
	return ErrBadKey
}

// RedactKey shows enough of a key to recognise its kind in an error
// message, never the secret part: "sk_live_…".
func RedactKey(key string) string {
	for _, p := range []string{"sk_live_", "rk_live_", "sk_test_", "rk_test_"} {
		if strings.HasPrefix(key, p) {
			return p + "…"
		}
	}
	if key == "" {
		return ""
	}
	return "…"
}

// CheckWebhookSecret accepts an empty secret (webhooks are then refused)
// or a Stripe signing secret.
func CheckWebhookSecret(secret string) error {
	if secret == "" || strings.HasPrefix(secret, "whsec_") {
		return nil
	}
	return errors.New("is not a Stripe webhook signing secret (want whsec_…)")
}

// CheckAPIBase accepts an empty base (Stripe's own) or an absolute http(s)
// URL, such as stripe-mock's http://127.0.0.1:12111.
func CheckAPIBase(base string) error {
	if base == "" {
		return nil
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("want an absolute http:// or https:// URL, such as http://127.0.0.1:12111 for stripe-mock")
	}
	return nil
}

// stripeTimeout bounds one call to Stripe, under the portal's request
// timeout so that a slow Stripe leaves time to show a page.
const stripeTimeout = 15 * time.Second

// ClientOptions adjust the Stripe client; the zero value suits production.
type ClientOptions struct {
	// HTTPClient sends the requests; tests pass one that records them.
	HTTPClient *http.Client
	// Transport, when HTTPClient is nil, carries the requests of the
	// portal's own client (which counts them for its metrics).
	Transport http.RoundTripper
	// NoRetries turns off stripe-go's retries of failed requests, so that
	// tests of an unreachable Stripe do not wait for its back-off.
	NoRetries bool
	Logger    *slog.Logger
}

// NewClient builds the one Stripe client of the portal for key (which must
// pass CheckKey) against base (Stripe's own when empty). The client never
// touches the stripe package's global key or backends.
func NewClient(key, base string, opt ClientOptions) (*client.API, error) {
	if key == "" {
		return nil, errors.New("payments.NewClient: no key")
	}
	if err := CheckKey(key); err != nil {
		return nil, fmt.Errorf("payments.NewClient: STRIPE_SECRET_KEY %w", err)
	}
	if err := CheckAPIBase(base); err != nil {
		return nil, fmt.Errorf("payments.NewClient: STRIPE_API_BASE %w", err)
	}
	hc := opt.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: stripeTimeout, Transport: opt.Transport}
	}
	retries := int64(2) // safe: every POST carries an idempotency key
	if opt.NoRetries {
		retries = 0
	}
	backend := func(t stripe.SupportedBackend) stripe.Backend {
		cfg := &stripe.BackendConfig{
			HTTPClient:        hc,
			LeveledLogger:     slogLogger{opt.Logger},
			MaxNetworkRetries: stripe.Int64(retries),
		}
		if base != "" {
			cfg.URL = stripe.String(base)
		}
		return stripe.GetBackendWithConfig(t, cfg)
	}
	return client.New(key, &stripe.Backends{
		API:     backend(stripe.APIBackend),
		Connect: backend(stripe.ConnectBackend),
		Uploads: backend(stripe.UploadsBackend),
	}), nil
}

// slogLogger hands stripe-go's log lines to the portal's logger. Its
// debug and info lines (every request) are dropped.
type slogLogger struct{ log *slog.Logger }

func (l slogLogger) Debugf(string, ...any) {}
func (l slogLogger) Infof(string, ...any)  {}

func (l slogLogger) Warnf(format string, v ...any) {
	if l.log != nil {
		l.log.Warn("stripe", "msg", fmt.Sprintf(format, v...))
	}
}

func (l slogLogger) Errorf(format string, v ...any) {
	if l.log != nil {
		l.log.Error("stripe", "msg", fmt.Sprintf(format, v...))
	}
}

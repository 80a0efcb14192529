package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// TestConfigRefusesLiveStripeKey: a live key stops the start, with an
// error that names STRIPE_SECRET_KEY and never shows the key.
func TestConfigRefusesLiveStripeKey(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		name string // the variable the error must name; "" means accepted
	}{
		{map[string]string{"STRIPE_SECRET_KEY": "sk_live_51HypotheticalSecretValue"}, "STRIPE_SECRET_KEY"},
		{map[string]string{"STRIPE_SECRET_KEY": "rk_live_51HypotheticalSecretValue"}, "STRIPE_SECRET_KEY"},
		{map[string]string{"STRIPE_SECRET_KEY": "pk_test_publishableNotSecret"}, "STRIPE_SECRET_KEY"},
		{map[string]string{"STRIPE_SECRET_KEY": "sk_test_51HypotheticalSecretValue"}, ""},
		{map[string]string{"STRIPE_SECRET_KEY": "rk_test_51HypotheticalSecretValue"}, ""},
		{map[string]string{}, ""}, // not configured: the pages say so
		{map[string]string{"STRIPE_SECRET_KEY": "sk_test_"}, "STRIPE_SECRET_KEY"}, // the prefix alone
		{map[string]string{"STRIPE_SECRET_KEY": "rk_test_"}, "STRIPE_SECRET_KEY"},
		{map[string]string{"STRIPE_WEBHOOK_SECRET": "not-a-secret"}, "STRIPE_WEBHOOK_SECRET"},
		{map[string]string{"STRIPE_API_BASE": "127.0.0.1:12111"}, "STRIPE_API_BASE"},
		{map[string]string{"STRIPE_API_BASE": "http://127.0.0.1:12111", "STRIPE_WEBHOOK_SECRET": "whsec_x"}, ""},
	} {
		_, _, err := loadConfig(envOf(tc.env), nil, nil)
		var ce *configError
		switch {
		case tc.name == "" && err != nil:
			t.Errorf("env %v: %v, want accepted", tc.env, err)
		case tc.name != "" && (!errors.As(err, &ce) || ce.Name != tc.name):
			t.Errorf("env %v: %v, want a configError naming %s", tc.env, err, tc.name)
		case err != nil && strings.Contains(err.Error(), "HypotheticalSecretValue"):
			t.Errorf("error %q shows the key", err)
		}
	}
}

// TestLiveKeyStopsTheStart runs the portal command with a live key: it
// exits with the configuration error before opening anything.
func TestLiveKeyStopsTheStart(t *testing.T) {
	var out, errOut bytes.Buffer
	env := envOf(map[string]string{"STRIPE_SECRET_KEY": "sk_live_51HypotheticalSecretValue", "PORTAL_DATA_DIR": t.TempDir()})
	code := run(context.Background(), []string{"serve"}, env, &out, &errOut)
	if code != 2 || !strings.Contains(errOut.String(), "STRIPE_SECRET_KEY") || !strings.Contains(errOut.String(), "LIVE") {
		t.Errorf("serve with a live key: exit %d, stderr %q; want 2 and a message naming STRIPE_SECRET_KEY", code, errOut.String())
	}
	if strings.Contains(errOut.String(), "HypotheticalSecretValue") {
		t.Errorf("stderr shows the key: %q", errOut.String())
	}
}

// TestConfigPaymentsMode: PORTAL_PAYMENTS chooses the built-in practice or
// Stripe; unset, Stripe when a key is set, else the practice; stripe
// without a key, or any other word, stops the start naming the variable.
func TestConfigPaymentsMode(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string // the mode, or the variable the error names
	}{
		{map[string]string{}, "practice"},
		{map[string]string{"STRIPE_SECRET_KEY": "sk_test_51HypotheticalSecretValue"}, "stripe"},
		{map[string]string{"STRIPE_SECRET_KEY": "sk_test_51HypotheticalSecretValue", "PORTAL_PAYMENTS": "practice"}, "practice"},
		{map[string]string{"PORTAL_PAYMENTS": "practice"}, "practice"},
		{map[string]string{"PORTAL_PAYMENTS": "stripe"}, "PORTAL_PAYMENTS"},
		{map[string]string{"PORTAL_PAYMENTS": "paypal"}, "PORTAL_PAYMENTS"},
	} {
		c, _, err := loadConfig(envOf(tc.env), nil, nil)
		var ce *configError
		switch {
		case errors.As(err, &ce):
			if ce.Name != tc.want {
				t.Errorf("env %v: error naming %s, want %s", tc.env, ce.Name, tc.want)
			}
		case err != nil:
			t.Errorf("env %v: %v", tc.env, err)
		case c.Payments != tc.want:
			t.Errorf("env %v: mode %q, want %q", tc.env, c.Payments, tc.want)
		}
	}
}

package server

import (
	"errors"
	"io"
	"log/slog"
	"net/http"

	"digiportal/payments"
)

// paymentsWebhook receives Stripe's events. It reads the raw body (the
// signature covers the exact bytes), size-limited; verifies the signature
// and its age; and applies the event in one transaction that stores the
// event's ID, so a repeated delivery changes nothing. Event types it does
// not act on are answered 200 so Stripe stops sending them again. A
// database failure answers 500, and Stripe delivers the event again later.
func (s *paymentsPart) paymentsWebhook(w http.ResponseWriter, r *http.Request) error {
	svc := s.svc
	if !svc.WebhooksConfigured() {
		return errUnavailable
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, payments.MaxEventBytes))
	if err != nil {
		return err // too large: 413
	}
	ctx := r.Context()
	ev, err := svc.VerifyEvent(body, r.Header.Get("Stripe-Signature"))
	if err != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "payments: webhook refused", slog.String("ip", clientIP(r)), slog.Any("err", err))
		if errors.Is(err, payments.ErrBadSignature) || errors.Is(err, payments.ErrBadEvent) {
			return errBadRequest
		}
		return err
	}
	outcome, err := svc.ApplyEvent(ctx, s.db, ev)
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if outcome == payments.OutcomeMismatch || outcome == payments.OutcomeLivemode {
		level = slog.LevelError // money that is not ours, or real money: someone must look
	}
	s.log.LogAttrs(ctx, level, "payments: webhook", slog.String("event", ev.ID), slog.String("type", ev.Type),
		slog.String("api_version", ev.APIVersion), slog.String("outcome", string(outcome)))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, err = io.WriteString(w, `{"received":true}`)
	return err
}

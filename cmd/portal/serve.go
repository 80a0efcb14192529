package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
	"digiportal/indicators"
	"digiportal/mail"
	"digiportal/server"
)

// openDB opens and migrates the configured database.
func openDB(ctx context.Context, cfg *config) (*bun.DB, error) {
	db, err := database.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if _, err := migrateAndSeed(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// migrateAndSeed applies the migrations and then makes sure the standard
// indicator definitions exist (the elements, indicators and national
// targets every portal has, demo or not); seeding never overwrites an
// admin's edits. It returns the migrations it applied.
func migrateAndSeed(ctx context.Context, db *bun.DB) ([]string, error) {
	applied, err := database.Migrate(ctx, db)
	if err != nil {
		return nil, err
	}
	if err := indicators.SeedDefinitions(ctx, db); err != nil {
		return nil, err
	}
	// Roll-ups a migration dropped (or never built) are built now, not on
	// the first dashboard that finds them missing.
	if err := indicators.EnsureRollups(ctx, db, time.Now()); err != nil {
		return nil, err
	}
	return applied, nil
}

// migrateCmd applies the migrations and says which it applied.
func migrateCmd(ctx context.Context, cfg *config, stdout io.Writer) error {
	db, err := database.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := migrateAndSeed(ctx, db)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "database is up to date")
	}
	for _, name := range applied {
		fmt.Fprintln(stdout, "applied", name)
	}
	return nil
}

// serve runs the portal until ctx is cancelled (SIGTERM or SIGINT), then
// shuts down gracefully. It says each step of the start on stdout, in
// plain words for the person at the terminal (the JSON log on stderr is for
// machines), and ends with the address and, on a new demo database, the
// demo accounts to sign in with.
func serve(ctx context.Context, cfg *config, log *slog.Logger, stdout io.Writer) error {
	step := func(format string, args ...any) { fmt.Fprintf(stdout, "- "+format+"\n", args...) }
	// The address is taken first: a port already in use stops the start at
	// once, not after the migration and the demo data, whose passwords would
	// then have been made and never shown (the next start finds the data
	// and loads no demo).
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (PORTAL_ADDR): %w", cfg.Addr, err)
	}
	defer ln.Close() // on a start that fails; serveUntil's shutdown closes it otherwise
	fresh := cfg.DatabaseURL == "" && !fileExists(filepath.Join(cfg.DataDir, database.SQLiteFile))
	if cfg.DatabaseURL == "" {
		step("Opening the database: %s (embedded SQLite)", filepath.Join(cfg.DataDir, database.SQLiteFile))
	} else {
		step("Opening the database: %s (PostgreSQL)", redact(cfg.DatabaseURL))
	}
	db, err := database.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	step("Migrating: bringing the tables up to date…")
	applied, err := migrateAndSeed(ctx, db)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		step("Migrating: nothing to do, the database is up to date")
	} else {
		step("Migrating: %d changes applied", len(applied))
	}
	// Demo data is on by default only for a new embedded database, so that a
	// newcomer's first run shows a working portal and a real deployment on
	// PostgreSQL never gets demo accounts by accident.
	demo := fresh
	if cfg.Demo != nil {
		demo = *cfg.Demo
	}
	var demoAccounts []accounts.DemoAccount
	if demo {
		step("Loading demo data: units, indicator values, self-assessments, payments, demo accounts…")
		if demoAccounts, err = seedDemo(ctx, db, log, "portal serve", false); err != nil {
			return err
		}
	}
	step("Preparing the pages (templates, lessons, messages)…")
	bundle, err := i18n.NewBundle()
	if err != nil {
		return err
	}
	ready := new(atomic.Bool)
	srv, err := server.New(server.Deps{
		Config: server.Config{
			BaseURL:        cfg.BaseURL,
			MaxBodyBytes:   cfg.MaxBodyBytes,
			MaxUploadBytes: cfg.MaxUploadBytes,
			MaxInFlight:    cfg.MaxInFlight,
			RequestTimeout: cfg.RequestTimeout,
			Version:        version,
			Demo:           demo,
			Site:           cfg.Site,

			MetricsNetworks: cfg.MetricsNetworks,
			TrustedProxies:  cfg.TrustedProxies,

			StripeSecretKey:     cfg.StripeSecretKey,
			StripeWebhookSecret: cfg.StripeWebhookSecret,
			StripeAPIBase:       cfg.StripeAPIBase,
			Payments:            cfg.Payments,
		},
		DB:     db,
		Bundle: bundle,
		Logger: log,
		Ready:  ready,
		Mail:   mailSender(cfg, bundle, log),
	})
	if err != nil {
		return err
	}
	step("Listening on %s…", cfg.Addr)
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      cfg.RequestTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go srv.RunMaintenance(ctx)
	go srv.RunCounters(ctx)
	// Unit imports queued by the admin page run here, not in requests.
	jobsCtx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	jobsDone := make(chan struct{})
	go func() { srv.RunUnitJobs(jobsCtx); close(jobsDone) }()
	if len(demoAccounts) > 0 {
		fmt.Fprintf(stdout, "\nDemo accounts (sign in at %s/vi/login). Their passwords are shown only now;\n`portal seed --demo` gives them new ones whenever you need them again.\n\n", cfg.BaseURL)
		if err := printDemoAccounts(stdout, demoAccounts, totpRoles(ctx, db)); err != nil {
			return err
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintf(stdout, "Portal running at %s/ (press Ctrl+C to stop)\n", cfg.BaseURL)
	log.Info("serving", "addr", ln.Addr().String(), "version", version, "postgres", database.IsPostgres(db))
	err = serveUntil(ctx, hs, ln, ready, cfg.DrainDelay, cfg.ShutdownGrace)
	// Every request has been answered (or its grace is over): what was
	// counted in memory is written now, so a SIGTERM loses no count.
	fctx, cancelFlush := context.WithTimeout(context.Background(), 10*time.Second)
	if ferr := srv.FlushCounters(fctx); ferr != nil {
		log.Error("counters not written at shutdown", "err", ferr)
	}
	cancelFlush()
	srv.WaitMail() // e-mail begun by a request still goes out
	stopJobs()
	<-jobsDone // a unit import stopped by the end is back in the queue
	return err
}

// serveUntil serves on ln until ctx ends, then: readiness turns false, the
// listener stays open for drainDelay so a load balancer sees /readyz fail,
// and in-flight requests get up to grace to finish.
func serveUntil(ctx context.Context, hs *http.Server, ln net.Listener, ready *atomic.Bool, drainDelay, grace time.Duration) error {
	errc := make(chan error, 1)
	ready.Store(true)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	ready.Store(false)
	if drainDelay > 0 {
		time.Sleep(drainDelay)
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// mailSender sends over SMTP when PORTAL_SMTP_URL is set, under the
// portal's name in its first language; otherwise to the log.
func mailSender(cfg *config, bundle *i18n.Bundle, log *slog.Logger) mail.Sender {
	if cfg.SMTP == nil {
		return mail.NewLog(log)
	}
	c := *cfg.SMTP
	c.FromName = bundle.Localizer(i18n.Langs()[0]).T("site.name")
	return mail.NewSMTP(c)
}

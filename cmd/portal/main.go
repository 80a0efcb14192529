package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run dispatches a command and returns the process exit code: 0 on success,
// 1 on failure, 2 on a usage or configuration error.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if cmd == "version" {
		fmt.Fprintln(stdout, "portal", version)
		return 0
	}
	cfg, err := loadConfig(getenv, args)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "portal:", err)
		}
		return 2
	}
	log := newLogger(stderr, cfg.LogLevel)
	switch cmd {
	case "serve":
		ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
		defer stop()
		err = serve(ctx, cfg, log, stdout)
	case "migrate":
		err = migrateCmd(ctx, cfg, stdout)
	default:
		fmt.Fprintf(stderr, "portal: unknown command %q (want serve, migrate or version)\n", cmd)
		return 2
	}
	if err != nil {
		log.Error("portal stopped", "cmd", cmd, "err", err)
		fmt.Fprintln(stderr, "portal:", err)
		return 1
	}
	return 0
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level)) // validated in loadConfig
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

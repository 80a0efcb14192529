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
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// command is one of the portal's commands. flags adds the command's own
// flags to the set that also holds the configuration flags; run gets the
// validated configuration and the arguments left after the flags.
type command struct {
	name  string // one or two words: "serve", "user create"
	usage string
	flags func(fs *flag.FlagSet)
	run   func(ctx context.Context, e *env, args []string) error
}

// env is what every command gets: configuration, logger and output.
type env struct {
	cfg    *config
	log    *slog.Logger
	stdout io.Writer
}

// commands lists every command of the portal (DESIGN.md §3). A part adds
// its own in a file of its own and one line here.
func commands() []command {
	return []command{
		serveCommand(),
		migrateCommand(),
		seedCommand(),
		userCreateCommand(),
		unitsImportCommand(),
		indicatorsImportCommand(),
		indicatorsGenerateCommand(),
		loadtestCommand(),
	}
}

// run dispatches a command and returns the process exit code: 0 on success,
// 1 on failure, 2 on a usage or configuration error.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "version" || args[0] == "--version") {
		fmt.Fprintln(stdout, "portal", version)
		return 0
	}
	cmd, rest, ok := findCommand(args)
	if !ok {
		fmt.Fprintf(stderr, "portal: unknown command %q; commands:\n", strings.Join(args[:min(2, len(args))], " "))
		for _, c := range commands() {
			fmt.Fprintf(stderr, "  portal %s\n", c.usage)
		}
		fmt.Fprintln(stderr, "  portal version")
		return 2
	}
	cfg, cmdArgs, err := loadConfig(getenv, rest, cmd.flags)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "portal:", err)
		}
		return 2
	}
	e := &env{cfg: cfg, log: newLogger(stderr, cfg.LogLevel), stdout: stdout}
	if err := cmd.run(ctx, e, cmdArgs); err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "portal: %s\nusage: portal %s\n", ue.msg, cmd.usage)
			return 2
		}
		e.log.Error("portal stopped", "cmd", cmd.name, "err", err)
		fmt.Fprintln(stderr, "portal:", err)
		return 1
	}
	return 0
}

// findCommand matches the leading words of args to a command; no words
// means serve.
func findCommand(args []string) (command, []string, bool) {
	var words []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") || len(words) == 2 {
			break
		}
		words = append(words, a)
	}
	if len(words) == 0 {
		return serveCommand(), args, true
	}
	for n := len(words); n >= 1; n-- {
		name := strings.Join(words[:n], " ")
		for _, c := range commands() {
			if c.name == name {
				return c, args[n:], true
			}
		}
	}
	return command{}, nil, false
}

// usageError is a command-line mistake: exit code 2 and the usage line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func serveCommand() command {
	return command{name: "serve", usage: "[serve] [flags]", run: func(ctx context.Context, e *env, args []string) error {
		if err := noArguments(args); err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
		defer stop()
		return serve(ctx, e.cfg, e.log, e.stdout)
	}}
}

// noArguments refuses words left after the flags. -demo reads like a
// boolean flag, so "-demo false" leaves "false" behind: taken silently, it
// would turn the demo on where its writer meant off.
func noArguments(args []string) error {
	if len(args) > 0 {
		return &usageError{fmt.Sprintf("unexpected argument %q (a flag's value goes after =, as in -demo=false)", args[0])}
	}
	return nil
}

func migrateCommand() command {
	return command{name: "migrate", usage: "migrate", run: func(ctx context.Context, e *env, _ []string) error {
		return migrateCmd(ctx, e.cfg, e.stdout)
	}}
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level)) // validated in loadConfig
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

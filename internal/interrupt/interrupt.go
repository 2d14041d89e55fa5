// Package interrupt catches Ctrl-C (SIGINT) and SIGTERM from the first
// milliseconds of the process. Its init runs as soon as os/signal is ready,
// before the heavy packages (excelize, sqlite: about 20 ms of start-up), so
// a signal in that window is not the runtime's silent death but a cancelled
// Context the command can report. A command that does not watch Context
// calls ExitAtOnce and simply ends on the signal.
package interrupt

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// ExitStatus is the status of a command ended at once by a signal (the
// shell's 128 + SIGINT).
const ExitStatus = 130

var (
	ctx, cancel = context.WithCancel(context.Background())
	signals     = make(chan os.Signal, 1)

	mu     sync.Mutex
	caught bool
	atOnce bool
)

func init() {
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		if _, ok := <-signals; !ok {
			return
		}
		// A second signal kills at once, as if none were caught.
		signal.Stop(signals)
		cancel()
		mu.Lock()
		caught = true
		exit := atOnce
		mu.Unlock()
		if exit {
			os.Exit(ExitStatus)
		}
	}()
}

// Context is cancelled by the first Ctrl-C or SIGTERM, even one that came
// before main.
func Context() context.Context { return ctx }

// ExitAtOnce makes the first signal end the process at once, with
// ExitStatus: for a command that does not watch Context. If the signal
// came already, it ends the process now.
func ExitAtOnce() {
	mu.Lock()
	atOnce = true
	now := caught
	mu.Unlock()
	if now {
		os.Exit(ExitStatus)
	}
}

// Release gives the signals back to their default action, for a program
// (a test binary) that links this package but does not run a command.
func Release() {
	signal.Stop(signals)
}

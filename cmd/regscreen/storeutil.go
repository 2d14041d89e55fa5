package main

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/regscreen/regscreen/store"
)

// dbDefault is the --db value that means $REGSCREEN_DB or ./regscreen.db.
const dbDefault = "auto"

// openStore opens the store for scan --db, making it if it is not there,
// saying on errOut when it waits for another run.
func openStore(ctx context.Context, flag string, ios *IOStreams) (*store.Store, error) {
	return store.OpenWriter(ctx, dbPath(flag), store.OpenOptions{Wait: ios.storeWait(), Waiting: ios.ErrOut})
}

// openExistingStore opens the store for a command that changes a store a
// scan made (import-status, prune): like a reader, it refuses a missing
// or empty one, so that a mistyped --db creates nothing.
func openExistingStore(ctx context.Context, flag string, ios *IOStreams) (*store.Store, error) {
	return store.OpenWriter(ctx, dbPath(flag), store.OpenOptions{Wait: ios.storeWait(), Waiting: ios.ErrOut, Existing: true})
}

// openStoreForReading opens the store for a command that only reads it.
// A missing path is an error (nothing is created); readers share the
// lock, and wait for a writer, saying so on errOut.
func openStoreForReading(ctx context.Context, flag string, ios *IOStreams) (*store.Store, error) {
	return store.OpenReadOnly(ctx, dbPath(flag), store.OpenOptions{Wait: ios.storeWait(), Waiting: ios.ErrOut})
}

// dbPath resolves a --db value: a path, or empty or "auto" for
// $REGSCREEN_DB or ./regscreen.db.
func dbPath(flag string) string {
	if flag == dbDefault {
		flag = ""
	}
	return store.Path(flag)
}

// addDBFlag defines --db: for scan, optional (--db auto for the default
// path); for the commands that read the store, where it is.
func addDBFlag(f *pflag.FlagSet, p *string, scan bool) {
	if scan {
		f.StringVar(p, "db", "", "把本次运行记入存储（SQLite `文件`），供 changes、report monthly、history 使用；--db auto 表示 $REGSCREEN_DB 或 ./regscreen.db")
		return
	}
	f.StringVar(p, "db", "", "存储`文件`（默认 $REGSCREEN_DB 或 ./regscreen.db）")
}

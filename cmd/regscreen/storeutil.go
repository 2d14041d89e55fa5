package main

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/store"
)

// dbDefault is the --db value that means $REGSCREEN_DB or ./regscreen.db.
const dbDefault = "auto"

// storeWait is how long a scan waits for another one holding the store.
var storeWait = 10 * time.Minute

func openStore(ctx context.Context, flag string) (*store.Store, error) {
	return store.Open(ctx, dbPath(flag), storeWait)
}

// dbPath resolves a --db value: a path, or empty or "auto" for
// $REGSCREEN_DB or ./regscreen.db.
func dbPath(flag string) string {
	if flag == dbDefault {
		flag = ""
	}
	return store.Path(flag)
}

// addDBFlag defines --db for the commands that read the store.
func addDBFlag(f *pflag.FlagSet, p *string) {
	f.StringVar(p, "db", "", "存储文件（默认 $REGSCREEN_DB 或 ./regscreen.db）")
}

// storeRecord is what the store keeps of a screened record.
func storeRecord(scr *screen.Screener, r *output.Record) *store.Record {
	rec := &store.Record{Key: store.Key(r.ID, r.Name), FP: store.Fingerprint(r.Name, r.Scope), HasHits: len(r.Result.Hits) > 0}
	if rec.HasHits {
		rec.Name, rec.Scope, rec.Verdict = r.Name, r.Scope, string(r.Result.Verdict)
		rec.Terms = strings.Join(r.Result.Terms(), "、")
		rec.Street = scr.Dictionary().StreetOf(r.Address)
	}
	return rec
}

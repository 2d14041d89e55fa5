package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"slices"
	"strings"

	"github.com/klauspost/compress/s2"
)

// Every company's name is kept, so that a rename shows the name before
// (a company never referred before that is renamed into a restricted
// name, 福州昌武包装材料有限公司 → …财富管理有限公司) and history finds a
// company by any name it has had. Only a name that may be new is written,
// with the run it was first seen under: table names holds a run's such
// names as blobs of about nameChunk bytes, each a list of (key, name)
// pairs. One SQLite row per name made the first night of a 1M-row
// register (every name new) cost a second; a blob costs the bytes.
//
// A name may be new where the company's fingerprint (of name and scope)
// is not the one it had in the last complete run, read from that run's
// seen set: a company whose scope alone changed has its name written
// again (namesOf reads a repeated name as one), which costs less than
// keeping each company's name hash (16 MB for a 1M-row register, and
// rewritten whenever a name changed). A run that kept no names (one
// written before schema 9, runs.names 0) is no baseline: the first run
// after the upgrade writes every name, as a first night does. A store
// upgraded from schema 8 has names only for the companies that had a hit
// before the upgrade: the others' names before it were never kept.

// nameChunk bytes of names make one row of names.
const nameChunk = 1 << 20

// appendName adds one (key, name) pair to a chunk.
func appendName(b []byte, key, name string) []byte {
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	b = binary.AppendUvarint(b, uint64(len(name)))
	return append(b, name...)
}

// A chunk is stored packed: a zero byte, then the chunk compressed by
// s2. Company names repeat 有限公司, 科技 and place names, and a name's
// key shares its prefix with its neighbours', so a chunk packs to about a
// quarter: on a 1M-row register's first night SQLite copied 62 MB of
// names into overflow pages and the WAL (0.4 s of CPU), where s2 takes
// about 0.1 s to pack them (zlib packed them to 30% in 0.7 s). A chunk
// stored unpacked (written by a build of schema 9 before this) starts
// with its first key's length, never zero (a record without a key is not
// kept), and is read as it is.
const packedChunk = 0

// packNames packs a chunk into buf (grown if too small).
func packNames(buf, chunk []byte) []byte {
	n := 1 + s2.MaxEncodedLen(len(chunk))
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	buf[0] = packedChunk
	return buf[:1+len(s2.Encode(buf[1:], chunk))]
}

// unpackNames unpacks a packed chunk into buf (grown if too small).
func unpackNames(buf, stored []byte) ([]byte, error) {
	n, err := s2.DecodedLen(stored[1:])
	if err != nil {
		return nil, errBadNames
	}
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	b, err := s2.Decode(buf[:n], stored[1:])
	if err != nil {
		return nil, errBadNames
	}
	return b, nil
}

var errBadNames = errors.New("存储中的名称块已损坏")

// eachName calls fn with every pair of a chunk, as slices of it (valid
// during the call only).
func eachName(b []byte, fn func(key, name []byte)) error {
	for len(b) > 0 {
		var f [2][]byte
		for i := range f {
			n, w := binary.Uvarint(b)
			if w <= 0 || uint64(len(b)-w) < n {
				return errBadNames
			}
			f[i], b = b[w:w+int(n)], b[w+int(n):]
		}
		fn(f[0], f[1])
	}
	return nil
}

// eachStoredName calls fn with every name the store keeps, in the order
// they were first seen (by run, then as written).
func eachStoredName(ctx context.Context, db querier, fn func(run int64, key, name []byte)) error {
	rows, err := db.QueryContext(ctx, `SELECT run, data FROM names ORDER BY run, rowid`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var buf []byte
	for rows.Next() {
		var run int64
		var b sql.RawBytes // read before the next row
		if err := rows.Scan(&run, &b); err != nil {
			return err
		}
		if len(b) > 0 && b[0] == packedChunk {
			if buf, err = unpackNames(buf, b); err != nil {
				return err
			}
			b = buf
		}
		if err := eachName(b, func(k, n []byte) { fn(run, k, n) }); err != nil {
			return err
		}
	}
	return rows.Err()
}

// A run's names are compared with the baseline in blocks: a block's
// records, sorted by key hash, against the last run's seen set, sorted
// too. Looked up one record at a time in a table of every company (16 MB
// or more for a 1M-row register) each lookup missed the cache: 0.3–0.5 s
// of CPU a night.

// nameBlock is a block of a run's records' names, not yet compared.
type nameBlock struct {
	hs    []entry  // key hash, index into fps (sorted when full)
	fps   []int64  // the records' fingerprints
	offs  []uint32 // where each record's key and name start in arena
	arena []byte
}

func (b *nameBlock) add(h, fp int64, key, name string) {
	b.hs = append(b.hs, entry{h, int64(len(b.fps))})
	b.fps = append(b.fps, fp)
	b.offs = append(b.offs, uint32(len(b.arena)))
	b.arena = appendName(b.arena, key, name)
}

func (b *nameBlock) reset() {
	b.hs, b.fps, b.offs, b.arena = b.hs[:0], b.fps[:0], b.offs[:0], b.arena[:0]
}

// runNames compares a run's names with the baseline and keeps those that
// may be new.
type runNames struct {
	base  seenSet // the last complete run's seen set, if it kept names
	block nameBlock
	tmp   []entry
	keep  []int32 // the block's records whose names are written
	out   []byte  // names to write, not yet handed over (a chunk of names)
	// free holds chunks of names written, to be filled again (fresh
	// memory for each cost page faults: 0.1 s on a first night).
	free chan []byte
	// ready is closed once base is read: the baseline (16 MB on a 1M-row
	// register) is read while the run starts, not before it (0.1 s the
	// screening waited on a second night), and the first block of names
	// waits for it.
	ready chan struct{}
}

// buffer is an empty buffer for names with room for size bytes, from
// free if one is there.
func (n *runNames) buffer(size int) []byte {
	select {
	case b := <-n.free:
		if cap(b) >= size {
			return b[:0]
		}
	default:
	}
	return make([]byte, 0, size)
}

// compare sorts the block and compares it with the baseline, handing the
// names that may be new to emit, in chunks of about nameChunk bytes; of a
// key listed twice in a block the last counts. A block whose every name
// is new (a first night) is handed over as it is, not copied.
func (n *runNames) compare(emit func([]byte)) {
	<-n.ready
	b := &n.block
	if len(b.hs) == 0 {
		return
	}
	if len(n.tmp) < len(b.hs) {
		n.tmp = make([]entry, len(b.hs))
	}
	radixSort(b.hs, n.tmp)
	n.keep = n.keep[:0]
	j := 0
	for i, e := range b.hs {
		if i+1 < len(b.hs) && b.hs[i+1].h == e.h {
			continue
		}
		for j < len(n.base) && n.base[j].h < e.h {
			j++
		}
		if j < len(n.base) && n.base[j].h == e.h && n.base[j].fp == b.fps[e.fp] {
			continue
		}
		n.keep = append(n.keep, int32(e.fp))
	}
	if len(n.keep) == len(b.fps) {
		if len(n.out) > 0 {
			emit(n.out) // first: a later name of a key comes later
			n.out = nil
		}
		emit(b.arena)
		b.arena = n.buffer(len(b.arena) + len(b.arena)/8) // grown, it cost 0.1 s of copying
		b.reset()
		return
	}
	for _, k := range n.keep {
		end := len(b.arena)
		if int(k)+1 < len(b.offs) {
			end = int(b.offs[k+1])
		}
		if n.out == nil {
			n.out = n.buffer(nameChunk + 4096)
		}
		n.out = append(n.out, b.arena[b.offs[k]:end]...)
		if len(n.out) >= nameChunk {
			emit(n.out)
			n.out = nil
		}
	}
	b.reset()
}

// newRunNames is a run's names, without a baseline until loadBase has
// run (see Run.loadKnown).
func newRunNames() *runNames {
	n := &runNames{free: make(chan []byte, 4), ready: make(chan struct{})}
	// Room for a block of names of the usual length (grown from nothing,
	// the first block's copying and page faults cost 0.08 s).
	n.block.arena = make([]byte, 0, seenBlock*72)
	return n
}

// loadBase reads the baseline: the last complete run's seen set, if that
// run kept names and its fingerprints are of this build's kind.
func (n *runNames) loadBase(ctx context.Context, db querier) error {
	var run int64
	var kept, kind int
	err := db.QueryRowContext(ctx, `SELECT id, names, fp_kind FROM runs WHERE status = 'complete' ORDER BY id DESC LIMIT 1`).
		Scan(&run, &kept, &kind)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (kept == 0 || kind != fpKind) {
		return nil
	}
	if err != nil {
		return err
	}
	var size int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(SUM(length(data)), 0) FROM seen WHERE run = ?`, run).Scan(&size); err != nil {
		return err
	}
	n.base = make(seenSet, 0, size/entrySize)
	rows, err := db.QueryContext(ctx, `SELECT data FROM seen WHERE run = ? ORDER BY lo`, run)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var b sql.RawBytes // decoded before the next row
		if err := rows.Scan(&b); err != nil {
			return err
		}
		if n.base, err = decodeChunk(b, n.base); err != nil {
			return err
		}
	}
	return rows.Err()
}

// NameAt is a name a company had, from the run it was first seen under.
type NameAt struct {
	Run  int64  `json:"run"`
	Name string `json:"name"`
}

// namesOf returns the names of the given companies, oldest first.
func namesOf(ctx context.Context, db querier, keys map[string]bool) (map[string][]NameAt, error) {
	out := map[string][]NameAt{}
	if len(keys) == 0 {
		return out, nil
	}
	err := eachStoredName(ctx, db, func(run int64, k, n []byte) {
		if keys[string(k)] {
			key := string(k)
			if l := out[key]; len(l) == 0 || l[len(l)-1].Name != string(n) {
				out[key] = append(l, NameAt{run, string(n)})
			}
		}
	})
	return out, err
}

// nameAsOf is the name a company had in run, from its names: the last
// first seen in run or before ("" if none).
func nameAsOf(names []NameAt, run int64) string {
	name := ""
	for _, n := range names {
		if n.Run <= run {
			name = n.Name
		}
	}
	return name
}

// Names returns every name the company has had, oldest first, each with
// the run it was first seen under. A company the store only hashed
// before schema 9 has no name from before its upgrade.
func (s *Store) Names(ctx context.Context, key string) (_ []NameAt, err error) {
	defer s.named(&err)
	m, err := namesOf(ctx, s.db, map[string]bool{key: true})
	return m[key], err
}

// LatestNames returns the latest name of each company that has one.
func (s *Store) LatestNames(ctx context.Context, keys []string) (_ map[string]string, err error) {
	defer s.named(&err)
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	m, err := namesOf(ctx, s.db, want)
	out := map[string]string{}
	for k, l := range m {
		out[k] = l[len(l)-1].Name
	}
	return out, err
}

// keysNamed returns the keys of the companies that have had the name, or
// with part a name containing it, sorted.
func keysNamed(ctx context.Context, db querier, name string, part bool) ([]string, error) {
	found := map[string]bool{}
	nb := []byte(name)
	err := eachStoredName(ctx, db, func(_ int64, k, n []byte) {
		if bytes.Equal(n, nb) || part && bytes.Contains(n, nb) {
			found[string(k)] = true
		}
	})
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, strings.Compare)
	return keys, err
}

// fillNames gives each side of a change that the store kept no text of
// the name the company had in that run (a company without a hit before
// a rename into a restricted name: 变动前名称). A side with text keeps its
// name, blank if the export's was: filled in, a change to a blank name
// read as no change at all.
func fillNames(ctx context.Context, db querier, cs []Change, from, to int64) error {
	want := map[string]bool{}
	for _, c := range cs {
		if c.Before != nil && c.Before.untexted || c.After != nil && c.After.untexted {
			want[c.Key] = true
		}
	}
	names, err := namesOf(ctx, db, want)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Before != nil && c.Before.untexted {
			c.Before.Name = nameAsOf(names[c.Key], from)
		}
		if c.After != nil && c.After.untexted {
			c.After.Name = nameAsOf(names[c.Key], to)
		}
	}
	return nil
}

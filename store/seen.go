package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"
)

// Every run remembers each record it saw: a hash of its key and the
// fingerprint of its name and scope. One SQLite row per record made a
// 1M-row run spend seconds in SQLite's b-tree (6–7× the scan itself), so
// a run's records are kept as a sorted array of 16-byte entries, cut into
// chunks of chunkEntries stored as blobs in table seen (run, lo, data),
// lo being the chunk's first hash: a run writes ~250 rows instead of 1M,
// and one key is found by reading one chunk.
//
// The key is kept as a 64-bit hash: for a million keys the chance that two
// collide is about 3·10⁻⁸ per run. Every company with an occurrence keeps
// its full key in records and companies.

// chunkEntries entries (64 KiB) make one row of seen.
const chunkEntries = 4096

const entrySize = 16

type entry struct {
	h, fp int64 // key hash, Fingerprint(name, scope)
}

// FNV-1a, 64 bits, over a string without copying it to a []byte.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// fnvSep hashes a 0 byte, which separates two strings (its xor leaves h).
func fnvSep(h uint64) uint64 { return h * fnvPrime }

func keyHash(key string) int64 {
	return int64(fnvString(fnvOffset, key))
}

// seenSet is a run's entries sorted by hash, one per hash.
type seenSet []entry

// sortDedupe sorts the entries by hash, keeping the last added of equal
// hashes (a record listed twice in one export counts as it was last). A
// stable LSD radix sort, 16 bits a pass: a million entries in a few tens
// of milliseconds, where a comparison sort took ten times that.
func sortDedupe(es []entry) seenSet {
	radixSort(es, make([]entry, len(es)))
	out := es[:0]
	for i, e := range es {
		if i+1 < len(es) && es[i+1].h == e.h {
			continue
		}
		out = append(out, e)
	}
	return out
}

// radixSort sorts es by hash, stably, using tmp (as long as es) as scratch.
func radixSort(es, tmp []entry) {
	if len(es) < 2 {
		return
	}
	src, dst := es, tmp[:len(es)]
	var count [1 << 16]int
	for shift := 0; shift < 64; shift += 16 {
		clear(count[:])
		for _, e := range src {
			count[radixDigit(e.h, shift)]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, e := range src {
			d := radixDigit(e.h, shift)
			dst[count[d]] = e
			count[d]++
		}
		src, dst = dst, src
	}
	// Four passes: the sorted entries are back in es.
}

// sortedBlocks are a run's entries in blocks, each sorted by hash on its
// own as it filled (so the sorting is spread over the run, in a cache-sized
// block at a time, and the run never needs one array of every entry); a
// later block holds later records.
type sortedBlocks [][]entry

func cmpEntryHash(e entry, h int64) int {
	switch {
	case e.h < h:
		return -1
	case e.h > h:
		return 1
	}
	return 0
}

// merge calls emit with every hash once, in order, with the fingerprint
// last added: a k-way merge of the blocks, ties going to the later block.
// The heap is written out, each cursor holding its next hash: through
// container/heap's interface (and two slice lookups a comparison) the
// merge took 0.10 s of a 1M-row night's commit, when nothing else runs.
func (bs sortedBlocks) merge(emit func(entry) error) error {
	hp := make([]cursor, 0, len(bs))
	for b := range bs {
		if len(bs[b]) > 0 {
			hp = append(hp, cursor{bs[b][0].h, b, 0})
		}
	}
	for i := len(hp)/2 - 1; i >= 0; i-- {
		siftDown(hp, i)
	}
	var cur entry
	have := false
	for len(hp) > 0 {
		c := &hp[0]
		blk := bs[c.b]
		e := blk[c.i]
		if c.i++; c.i == len(blk) {
			hp[0] = hp[len(hp)-1]
			hp = hp[:len(hp)-1]
		} else {
			c.h = blk[c.i].h
		}
		siftDown(hp, 0)
		if have && e.h != cur.h {
			if err := emit(cur); err != nil {
				return err
			}
		}
		cur, have = e, true
	}
	if have {
		return emit(cur)
	}
	return nil
}

// cursor is a block's next entry in a merge: its hash, the block and the
// index.
type cursor struct {
	h    int64
	b, i int
}

func (x cursor) before(y cursor) bool { return x.h < y.h || x.h == y.h && x.b < y.b }

// siftDown restores the heap order below i.
func siftDown(hp []cursor, i int) {
	for {
		m := 2*i + 1
		if m >= len(hp) {
			return
		}
		if r := m + 1; r < len(hp) && hp[r].before(hp[m]) {
			m = r
		}
		if !hp[m].before(hp[i]) {
			return
		}
		hp[i], hp[m] = hp[m], hp[i]
		i = m
	}
}

// writeSeenBlocks stores a run's blocks merged into chunks.
func writeSeenBlocks(ctx context.Context, db execer, run int64, bs sortedBlocks) (companies int, err error) {
	st, err := db.PrepareContext(ctx, `INSERT INTO seen(run, lo, data) VALUES(?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	chunk := make([]entry, 0, chunkEntries)
	put := func() error {
		if len(chunk) == 0 {
			return nil
		}
		_, err := st.ExecContext(ctx, run, chunk[0].h, encodeChunk(chunk))
		chunk = chunk[:0]
		return err
	}
	if err := bs.merge(func(e entry) error {
		companies++
		chunk = append(chunk, e)
		if len(chunk) == chunkEntries {
			return put()
		}
		return nil
	}); err != nil {
		return 0, err
	}
	return companies, put()
}

// radixDigit is 16 bits of h, flipped at the sign so that the order is
// that of int64 (the order SQL compares the chunks' lo in).
func radixDigit(h int64, shift int) int {
	return int((uint64(h) ^ 1<<63) >> shift & 0xffff)
}

func (s seenSet) lookup(h int64) (int64, bool) {
	i, ok := slices.BinarySearchFunc(s, h, cmpEntryHash)
	if !ok {
		return 0, false
	}
	return s[i].fp, true
}

func encodeChunk(es []entry) []byte {
	b := make([]byte, len(es)*entrySize)
	for i, e := range es {
		binary.LittleEndian.PutUint64(b[i*entrySize:], uint64(e.h))
		binary.LittleEndian.PutUint64(b[i*entrySize+8:], uint64(e.fp))
	}
	return b
}

func decodeChunk(b []byte, into seenSet) (seenSet, error) {
	if len(b)%entrySize != 0 {
		return into, fmt.Errorf("存储中的记录块长度 %d 不是 %d 的倍数（存储已损坏？）", len(b), entrySize)
	}
	// Grown once and filled by index: appended one entry at a time, a
	// 1M-row night's set took 0.06 s to decode.
	n := len(into)
	into = slices.Grow(into, len(b)/entrySize)[:n+len(b)/entrySize]
	out := into[n:]
	for i := range out {
		c := b[i*entrySize : i*entrySize+entrySize]
		out[i] = entry{int64(binary.LittleEndian.Uint64(c)), int64(binary.LittleEndian.Uint64(c[8:]))}
	}
	return into, nil
}

type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, q string) (*sql.Stmt, error)
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// writeSeen stores a run's sorted entries.
func writeSeen(ctx context.Context, db execer, run int64, s seenSet) error {
	st, err := db.PrepareContext(ctx, `INSERT INTO seen(run, lo, data) VALUES(?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for i := 0; i < len(s); i += chunkEntries {
		c := s[i:min(i+chunkEntries, len(s))]
		if _, err := st.ExecContext(ctx, run, c[0].h, encodeChunk(c)); err != nil {
			return err
		}
	}
	return nil
}

// readSeen loads all of a run's entries (none for run 0).
func readSeen(ctx context.Context, db querier, run int64) (seenSet, error) {
	var out seenSet
	rows, err := db.QueryContext(ctx, `SELECT data FROM seen WHERE run = ? ORDER BY lo`, run)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		if out, err = decodeChunk(b, out); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// seenFP looks one key up in one run, reading only its chunk.
func seenFP(ctx context.Context, db querier, run int64, key string) (int64, bool, error) {
	h := keyHash(key)
	var b []byte
	err := db.QueryRowContext(ctx, `SELECT data FROM seen WHERE run = ? AND lo <= ? ORDER BY lo DESC LIMIT 1`, run, h).Scan(&b)
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	s, err := decodeChunk(b, nil)
	if err != nil {
		return 0, false, err
	}
	fp, ok := s.lookup(h)
	return fp, ok, nil
}

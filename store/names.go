package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/cespare/xxhash/v2"
)

// Every company's name is kept, so that a rename shows the name before
// (a company never referred before that is renamed into a restricted
// name, 福州昌武包装材料有限公司 → …财富管理有限公司) and history finds a
// company by any name it has had. Only a name that is new or changed is
// written, with the run it was first seen under: table names holds a
// run's such names as blobs of about nameChunk bytes, each a list of
// (key, name) pairs. One SQLite row per name made the first night of a
// 1M-row register (every name new) cost a second; a blob costs the bytes.
//
// What each company's name is now, to tell a changed one, is a sorted
// array of key hash and name hash, kept in name_state cut into nameSegs
// rows: a run rewrites only the rows in which something changed (on a
// night when no name changed, none). names and name_state change
// together, in a run's transaction; a store without name_state (just
// migrated) rebuilds it from names. A store upgraded from schema 8 has
// names only for the companies that had a hit before: the others' names
// before the upgrade were never kept.

// nameChunk bytes of names make one row of names.
const nameChunk = 1 << 20

// nameHash is the hash of a name that tells a rename.
func nameHash(name string) uint64 { return xxhash.Sum64String(name) }

// appendName adds one (key, name) pair to a chunk.
func appendName(b []byte, key, name string) []byte {
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	b = binary.AppendUvarint(b, uint64(len(name)))
	return append(b, name...)
}

// eachName calls fn with every pair of a chunk, as slices of it (valid
// during the call only).
func eachName(b []byte, fn func(key, name []byte)) error {
	for len(b) > 0 {
		var f [2][]byte
		for i := range f {
			n, w := binary.Uvarint(b)
			if w <= 0 || uint64(len(b)-w) < n {
				return fmt.Errorf("存储中的名称块已损坏")
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
	for rows.Next() {
		var run int64
		var b []byte
		if err := rows.Scan(&run, &b); err != nil {
			return err
		}
		if err := eachName(b, func(k, n []byte) { fn(run, k, n) }); err != nil {
			return err
		}
	}
	return rows.Err()
}

// A run's names are compared with the name state in blocks: a block's
// records, sorted by key hash, against the state, sorted too. Looked up
// one record at a time in a hash table of every company (32 MB for a
// 1M-row register) each lookup missed the cache: 0.3–0.5 s of CPU a night.
// The state is a sorted array of (key hash, name hash) as entries (fp
// holding the name hash), cut by the top bits of the hash into
// nameSegs rows of name_state; a run rewrites only the rows in which a
// name changed.
const nameSegs = 256

// nameSeg is the row of name_state that holds the hash h (in int64 order,
// as radixDigit sorts).
func nameSeg(h int64) int { return int((uint64(h) ^ 1<<63) >> 56) }

// nameBlock is a block of a run's records' names, not yet compared.
type nameBlock struct {
	hs    []entry  // key hash, index into offs (sorted when full)
	nhs   []uint64 // name hashes
	offs  []uint32 // where each record's key and name start in arena
	arena []byte
}

func (b *nameBlock) add(h int64, key, name string) {
	b.hs = append(b.hs, entry{h, int64(len(b.nhs))})
	b.nhs = append(b.nhs, nameHash(name))
	b.offs = append(b.offs, uint32(len(b.arena)))
	b.arena = appendName(b.arena, key, name)
}

func (b *nameBlock) reset() {
	b.hs, b.nhs, b.offs, b.arena = b.hs[:0], b.nhs[:0], b.offs[:0], b.arena[:0]
}

// names compares a run's names with the state the store had, and keeps
// the new and changed ones.
type names struct {
	state   seenSet   // (key hash, name hash) of every company, as the store had it
	changes [][]entry // (key hash, name hash) new or changed in this run, a block's a slice
	block   nameBlock
	tmp     []entry
	out     []byte // names new or changed, not yet written (a chunk of names)
	dirty   [nameSegs]bool
	// free holds chunks of names written, to be filled again (fresh
	// memory for each cost page faults: 0.1 s on a first night).
	free chan []byte
}

// compare sorts the block and compares it with the state, appending the
// names new or changed to out; of a key listed twice in a block the last
// counts. emit is called with out when it reaches nameChunk bytes.
func (n *names) compare(emit func([]byte)) {
	b := &n.block
	if len(b.hs) == 0 {
		return
	}
	if len(n.tmp) < len(b.hs) {
		n.tmp = make([]entry, len(b.hs))
	}
	radixSort(b.hs, n.tmp)
	j := 0
	ch := make([]entry, 0, len(b.hs))
	defer func() {
		if len(ch) > 0 {
			n.changes = append(n.changes, ch)
		}
	}()
	for i, e := range b.hs {
		if i+1 < len(b.hs) && b.hs[i+1].h == e.h {
			continue
		}
		for j < len(n.state) && n.state[j].h < e.h {
			j++
		}
		nh := b.nhs[e.fp]
		if j < len(n.state) && n.state[j].h == e.h && uint64(n.state[j].fp) == nh {
			continue
		}
		ch = append(ch, entry{e.h, int64(nh)})
		n.dirty[nameSeg(e.h)] = true
		off := b.offs[e.fp]
		end := len(b.arena)
		if int(e.fp)+1 < len(b.offs) {
			end = int(b.offs[e.fp+1])
		}
		if n.out == nil {
			select {
			case n.out = <-n.free:
				n.out = n.out[:0]
			default:
				n.out = make([]byte, 0, nameChunk+4096)
			}
		}
		n.out = append(n.out, b.arena[off:end]...)
		if len(n.out) >= nameChunk {
			emit(n.out)
			n.out = nil
		}
	}
	b.reset()
}

// merged is the state after the run: the old one with the changes.
func (n *names) merged() seenSet {
	if len(n.changes) == 0 {
		return n.state
	}
	total := 0
	for _, c := range n.changes {
		total += len(c)
	}
	all := make([]entry, 0, total)
	for _, c := range n.changes {
		all = append(all, c...)
	}
	n.changes = nil
	ch := sortDedupe(all)
	if len(n.state) == 0 {
		return ch
	}
	out := make(seenSet, 0, len(n.state)+len(ch))
	i, j := 0, 0
	for i < len(n.state) || j < len(ch) {
		switch {
		case j == len(ch) || i < len(n.state) && n.state[i].h < ch[j].h:
			out = append(out, n.state[i])
			i++
		case i == len(n.state) || ch[j].h < n.state[i].h:
			out = append(out, ch[j])
			j++
		default:
			out = append(out, ch[j])
			i++
			j++
		}
	}
	return out
}

// save writes the rows of the state that changed.
func (n *names) save(ctx context.Context, db execer) error {
	st := n.merged()
	i := 0
	for seg := range nameSegs {
		j := i
		for j < len(st) && nameSeg(st[j].h) == seg {
			j++
		}
		if n.dirty[seg] {
			if _, err := db.ExecContext(ctx, `INSERT OR REPLACE INTO name_state(seg, data) VALUES(?, ?)`,
				seg, encodeChunk(st[i:j])); err != nil {
				return err
			}
		}
		i = j
	}
	return nil
}

// loadNames reads the name state, or rebuilds it from names if the store
// has none (a store just migrated): then every row is to be written.
func loadNames(ctx context.Context, db querier) (*names, error) {
	n := &names{free: make(chan []byte, 4)}
	var size int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(SUM(length(data)), 0) FROM name_state`).Scan(&size); err != nil {
		return nil, err
	}
	n.state = make(seenSet, 0, size/entrySize)
	rows, err := db.QueryContext(ctx, `SELECT seg, data FROM name_state ORDER BY seg`)
	if err != nil {
		return nil, err
	}
	segs := 0
	for rows.Next() {
		var seg int
		var b sql.RawBytes // decoded before the next row
		if err := rows.Scan(&seg, &b); err != nil {
			rows.Close()
			return nil, err
		}
		from := len(n.state)
		if n.state, err = decodeChunk(b, n.state); err != nil {
			rows.Close()
			return nil, err
		}
		for k := from; k < len(n.state); k++ {
			if nameSeg(n.state[k].h) != seg || k > 0 && n.state[k-1].h >= n.state[k].h {
				rows.Close()
				return nil, fmt.Errorf("存储中的名称索引已损坏")
			}
		}
		segs++
	}
	rows.Close()
	if err := rows.Err(); err != nil || segs > 0 {
		return n, err
	}
	var all []entry
	err = eachStoredName(ctx, db, func(_ int64, k, name []byte) {
		all = append(all, entry{keyHash(string(k)), int64(xxhash.Sum64(name))})
	})
	n.state = sortDedupe(all)
	for s := range n.dirty {
		n.dirty[s] = true
	}
	return n, err
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
// a rename into a restricted name: 变动前名称).
func fillNames(ctx context.Context, db querier, cs []Change, from, to int64) error {
	want := map[string]bool{}
	for _, c := range cs {
		if c.Before != nil && c.Before.Name == "" || c.After != nil && c.After.Name == "" {
			want[c.Key] = true
		}
	}
	names, err := namesOf(ctx, db, want)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Before != nil && c.Before.Name == "" {
			c.Before.Name = nameAsOf(names[c.Key], from)
		}
		if c.After != nil && c.After.Name == "" {
			c.After.Name = nameAsOf(names[c.Key], to)
		}
	}
	return nil
}

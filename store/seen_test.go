package store

import (
	"context"
	"github.com/regscreen/regscreen/record"
	"hash/fnv"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"
)

// Runs stored before schema 5 keep their fingerprints: the allocation-free
// FNV must give what hash/fnv gives; this build's are xxHash64 of the same
// bytes (checked against the library's one-shot function).
func TestFingerprintKinds(t *testing.T) {
	for _, c := range [][2]string{{"", ""}, {"宁波某某理财咨询有限公司", "投资管理；资产管理"}, {"a", "b\x00c"}} {
		h := fnv.New64a()
		h.Write([]byte(c[0]))
		h.Write([]byte{0})
		h.Write([]byte(c[1]))
		if got, want := fingerprintOf(fpKindFNV, c[0], c[1]), int64(h.Sum64()); got != want {
			t.Errorf("FNV fingerprint(%q, %q) = %d, want %d", c[0], c[1], got, want)
		}
		if got, want := record.Fingerprint(c[0], c[1]), int64(xxhash.Sum64String(c[0]+"\x00"+c[1])); got != want {
			t.Errorf("record.Fingerprint(%q, %q) = %d, want %d", c[0], c[1], got, want)
		}
	}
}

func TestSortDedupeKeepsTheLastOfEqualHashes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var es []entry
	last := map[int64]int64{}
	for i := range 50000 {
		h := rng.Int64() - rng.Int64()
		if i%7 == 0 && len(es) > 0 {
			h = es[rng.IntN(len(es))].h // a duplicate key
		}
		es = append(es, entry{h, int64(i)})
		last[h] = int64(i)
	}
	got := sortDedupe(es)
	if len(got) != len(last) {
		t.Fatalf("%d entries, want %d distinct", len(got), len(last))
	}
	for i := 1; i < len(got); i++ {
		if got[i-1].h >= got[i].h {
			t.Fatalf("entries %d and %d out of order", i-1, i)
		}
	}
	for _, e := range got {
		if last[e.h] != e.fp {
			t.Fatalf("hash %d kept %d, want the last, %d", e.h, e.fp, last[e.h])
		}
		if fp, ok := seenSet(got).lookup(e.h); !ok || fp != e.fp {
			t.Fatalf("lookup(%d) = %d, %v", e.h, fp, ok)
		}
	}
}

// A seen set spread over several chunks is found again whole and key by key.
func TestSeenChunksRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "c.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := s.BeginRun(ctx, RunStart{Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	n := 3*chunkEntries + 17
	key := func(i int) string { return "9133" + string(rune('A'+i%26)) + time.Duration(i).String() }
	for i := range n {
		if err := r.Add(ctx, &record.Record{Key: key(i), FP: int64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Commit(ctx, nil, Counts{Read: n}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := count(t, s, `SELECT COUNT(*) FROM seen WHERE run = ?`, r.ID); got != 4 {
		t.Errorf("%d chunks, want 4", got)
	}
	all, err := readSeen(ctx, s.db, r.ID)
	if err != nil || len(all) != n {
		t.Fatalf("read back %d entries (err %v), want %d", len(all), err, n)
	}
	for _, i := range []int{0, 1, chunkEntries - 1, chunkEntries, 2*chunkEntries + 5, n - 1} {
		fp, ok, err := seenFP(ctx, s.db, r.ID, key(i))
		if err != nil || !ok || fp != int64(i) {
			t.Errorf("key %d: fp %d ok %v err %v", i, fp, ok, err)
		}
	}
	if _, ok, _ := seenFP(ctx, s.db, r.ID, "不在其中"); ok {
		t.Error("found a key that was never added")
	}
}

// Blocks sorted one at a time and merged at commit give what sorting all
// the entries at once gives, a key listed in two blocks counting as last.
func TestSeenBlocksMergeLikeOneSort(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	r, err := s.BeginRun(ctx, RunStart{Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	n := 2*seenBlock + seenBlock/2
	var all []entry
	for i := range n {
		k := "K" + strconv.Itoa(rng.IntN(n)) // about a third listed twice or more
		if err := r.Add(ctx, &record.Record{Key: k, FP: int64(i)}); err != nil {
			t.Fatal(err)
		}
		all = append(all, entry{keyHash(k), int64(i)})
	}
	if err := r.Commit(ctx, nil, Counts{Read: n}, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, err := readSeen(ctx, s.db, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := sortDedupe(all)
	if len(got) != len(want) {
		t.Fatalf("%d entries stored, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("entry %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// The filter in front of the known companies never says no to a hash it
// was given, and says yes to few others.
func TestHashFilterHasNoFalseNegatives(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	f := newHashFilter(50000)
	added := make([]int64, 50000)
	for i := range added {
		added[i] = int64(rng.Uint64())
		f.add(added[i])
	}
	for _, h := range added {
		if !f.has(h) {
			t.Fatalf("hash %d added but not found", h)
		}
	}
	passed := 0
	for range 100000 {
		if f.has(int64(rng.Uint64())) {
			passed++
		}
	}
	if passed > 10000 {
		t.Errorf("%d of 100000 unknown hashes pass", passed)
	}
}

// Merged over many blocks of uneven sizes (some empty), with hashes in
// several blocks, the merge gives each hash once, in order, with the
// fingerprint of the latest block, as one sort of everything does.
func TestMergeManyBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var bs sortedBlocks
	var all []entry
	fp := int64(0)
	for b := range 37 {
		blk := make([]entry, rng.IntN(300)*(b%5))
		for i := range blk {
			fp++
			blk[i] = entry{int64(rng.IntN(2000)) - 1000, fp}
		}
		all = append(all, blk...)
		radixSort(blk, make([]entry, len(blk)))
		bs = append(bs, blk)
	}
	want := sortDedupe(all)
	var got []entry
	if err := bs.merge(func(e entry) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries merged, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("entry %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

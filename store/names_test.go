package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/regscreen/regscreen/record"
)

// A name is kept once per change of name: a change of scope alone, a
// failed run, or the same name again adds none the history shows; a
// rename back to an old name is one more.
func TestNamesFollowRenamesOnly(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	r1 := storeRun(t, s, rec("K", "甲包装有限公司", "包装", ""), rec("L", "乙五金有限公司", "五金", ""))
	storeRun(t, s, rec("K", "甲包装有限公司", "包装、五金", ""), rec("L", "乙五金有限公司", "五金", ""))
	// A failed run keeps no name.
	r, err := s.BeginRun(ctx, RunStart{Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	failed := rec("K", "甲失败有限公司", "包装", "")
	if err := r.Add(ctx, &failed); err != nil {
		t.Fatal(err)
	}
	r.Fail(errors.New("测试"))
	// Listed twice: the name of the last row counts.
	r4 := storeRun(t, s, rec("K", "甲错名有限公司", "包装", ""), rec("K", "甲财富管理有限公司", "包装", ""))
	r5 := storeRun(t, s, rec("K", "甲包装有限公司", "包装", ""))
	want := []NameAt{{r1, "甲包装有限公司"}, {r4, "甲财富管理有限公司"}, {r5, "甲包装有限公司"}}
	if got, err := s.Names(ctx, "K"); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("names of K: %+v %v, want %+v", got, err, want)
	}
	if got, err := s.Names(ctx, "L"); err != nil || !reflect.DeepEqual(got, []NameAt{{r1, "乙五金有限公司"}}) {
		t.Errorf("names of L: %+v %v", got, err)
	}
	for _, gone := range []string{"甲失败有限公司", "甲错名有限公司"} {
		if keys, err := s.FindKeys(ctx, gone); err != nil || len(keys) != 0 {
			t.Errorf("FindKeys(%s) = %v %v: a name no complete run stands by", gone, keys, err)
		}
	}
}

// Over several blocks of names (a block is seenBlock records), a first
// night keeps every name and a second only those renamed.
func TestNamesOverManyBlocks(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	n := seenBlock + seenBlock/2
	night := func(renamed func(i int) bool) int64 {
		recs := make([]record.Record, n)
		for i := range recs {
			name := fmt.Sprintf("第%d五金有限公司", i)
			if renamed(i) {
				name = fmt.Sprintf("第%d理财有限公司", i)
			}
			recs[i] = rec(fmt.Sprintf("K%07d", i), name, "五金", "")
		}
		return storeRun(t, s, recs...)
	}
	first := night(func(int) bool { return false })
	second := night(func(i int) bool { return i%10007 == 3 })
	var count int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM names WHERE run = ?`, first).Scan(&count); err != nil || count == 0 {
		t.Fatalf("first night's names: %d rows %v", count, err)
	}
	for _, i := range []int{3, 10010, 90056, 1, 70000} {
		want := []NameAt{{first, fmt.Sprintf("第%d五金有限公司", i)}}
		if i%10007 == 3 {
			want = append(want, NameAt{second, fmt.Sprintf("第%d理财有限公司", i)})
		}
		if got, err := s.Names(ctx, fmt.Sprintf("K%07d", i)); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("names of %d: %+v %v, want %+v", i, got, err, want)
		}
	}
	keys, err := keysNamed(ctx, s.db, "理财", true)
	if err != nil || len(keys) != (n-3+10006)/10007 {
		t.Errorf("renamed: %d %v", len(keys), err)
	}
}

// Chunks are stored packed; a chunk stored unpacked (by a build of schema
// 9 before packing) reads as it is, and a damaged packed one is an error,
// not a wrong name.
func TestNamesPackedAndUnpacked(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	r1 := storeRun(t, s, rec("K", "甲包装有限公司", "包装", ""))
	var b []byte
	if err := s.db.QueryRow(`SELECT data FROM names WHERE run = ?`, r1).Scan(&b); err != nil || len(b) == 0 || b[0] != packedChunk {
		t.Fatalf("stored chunk %x %v: want packed", b, err)
	}
	if _, err := s.db.Exec(`INSERT INTO names(run, data) VALUES(?, ?)`, r1+1, appendName(nil, "K", "甲财富管理有限公司")); err != nil {
		t.Fatal(err)
	}
	want := []NameAt{{r1, "甲包装有限公司"}, {r1 + 1, "甲财富管理有限公司"}}
	if got, err := s.Names(ctx, "K"); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("names of K: %+v %v, want %+v", got, err, want)
	}
	if _, err := s.db.Exec(`UPDATE names SET data = ? WHERE run = ?`, b[:len(b)-1], r1); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Names(ctx, "K"); !errors.Is(err, errBadNames) {
		t.Errorf("damaged chunk: %+v %v, want %v", got, err, errBadNames)
	}
}

// A company whose name the export left blank, its scope kept, shows the
// blank as its name after the change: the names filled in are only for a
// side the store kept no text of, or the change reads as no change at all
// (before and after the same name) while history shows the blank.
func TestChangeToABlankNameShowsTheBlank(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	r1 := storeRun(t, s, rec("K", "甲理财有限公司", "理财咨询", "送会商"))
	r2 := storeRun(t, s, rec("K", "", "理财咨询", "送会商"))
	cs, err := s.Changes(ctx, r1, r2)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Kind != Changed {
		t.Fatalf("changes: %+v", cs)
	}
	if b, a := cs[0].Before.Name, cs[0].After.Name; b != "甲理财有限公司" || a != "" {
		t.Errorf("name %q → %q, want 甲理财有限公司 → blank", b, a)
	}
}

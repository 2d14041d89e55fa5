package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
)

// A run compares each record with the company's state and the stored
// texts (see Run.take). Read row by row (56,000 companies and texts) that
// took 0.2 s at the start of a run, during which the screening waited; so
// each run leaves them in one blob, tagged with its id: it is good for the
// next run only if that run is still the latest complete one (a failed run
// rolled back its blob with the rest; prune, which drops texts, deletes it).

const stateVersion = 1

func encodeState(known map[int64]companyState, texts map[[2]int64]struct{}) []byte {
	b := make([]byte, 0, 24+len(known)*32+len(texts)*16)
	b = binary.LittleEndian.AppendUint64(b, stateVersion)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(known)))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(texts)))
	for h, st := range known {
		b = binary.LittleEndian.AppendUint64(b, uint64(h))
		b = binary.LittleEndian.AppendUint64(b, uint64(st.fp))
		b = binary.LittleEndian.AppendUint64(b, st.judged)
		b = binary.LittleEndian.AppendUint64(b, st.street)
	}
	for t := range texts {
		b = binary.LittleEndian.AppendUint64(b, uint64(t[0]))
		b = binary.LittleEndian.AppendUint64(b, uint64(t[1]))
	}
	return b
}

var errBadState = errors.New("状态块损坏")

func decodeState(b []byte) (map[int64]companyState, map[[2]int64]struct{}, error) {
	u := func(i int) uint64 { return binary.LittleEndian.Uint64(b[i:]) }
	if len(b) < 24 || u(0) != stateVersion {
		return nil, nil, errBadState
	}
	nk, nt := u(8), u(16)
	if nk > uint64(len(b))/32 || nt > uint64(len(b))/16 || uint64(len(b)) != 24+nk*32+nt*16 {
		return nil, nil, errBadState
	}
	known := make(map[int64]companyState, nk)
	i := 24
	for range nk {
		known[int64(u(i))] = companyState{int64(u(i + 8)), u(i + 16), u(i + 24)}
		i += 32
	}
	texts := make(map[[2]int64]struct{}, nt)
	for range nt {
		texts[[2]int64{int64(u(i)), int64(u(i + 8))}] = struct{}{}
		i += 16
	}
	return known, texts, nil
}

func saveState(ctx context.Context, db execer, run int64, known map[int64]companyState, texts map[[2]int64]struct{}) error {
	_, err := db.ExecContext(ctx, `INSERT OR REPLACE INTO state(id, run, data) VALUES(1, ?, ?)`, run, encodeState(known, texts))
	return err
}

// loadState reads the blob if the latest complete run left it (ok false
// otherwise: then the state is read from the tables).
func loadState(ctx context.Context, db querier) (map[int64]companyState, map[[2]int64]struct{}, bool, error) {
	var b []byte
	err := db.QueryRowContext(ctx, `SELECT data FROM state WHERE id = 1
		AND run = (SELECT MAX(id) FROM runs WHERE status = 'complete')`).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, err
	}
	known, texts, err := decodeState(b)
	if err != nil {
		return nil, nil, false, nil // read the tables instead
	}
	return known, texts, true, nil
}

// stateFromTables reads the companies' state and the stored texts'
// fingerprints from covering indexes, not the rows with their text.
func stateFromTables(ctx context.Context, db querier) (map[int64]companyState, map[[2]int64]struct{}, error) {
	known := map[int64]companyState{}
	texts := map[[2]int64]struct{}{}
	rows, err := db.QueryContext(ctx, `SELECT key, fp FROM texts INDEXED BY texts_key_fp`)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var k string
		var fp int64
		if err := rows.Scan(&k, &fp); err != nil {
			rows.Close()
			return nil, nil, err
		}
		texts[[2]int64{keyHash(k), fp}] = struct{}{}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = db.QueryContext(ctx, `SELECT key, COALESCE(fp, 0), COALESCE(verdict, ''), COALESCE(terms, ''),
		COALESCE(street, '') FROM companies INDEXED BY companies_state`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, verdict, terms, street string
		var fp int64
		if err := rows.Scan(&k, &fp, &verdict, &terms, &street); err != nil {
			return nil, nil, err
		}
		known[keyHash(k)] = stateOf(fp, verdict, terms, street)
	}
	return known, texts, rows.Err()
}

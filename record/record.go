// Package record holds what every stage after the engine shares about one
// screened row: the record itself, the company's identity (Key) and the
// fingerprint of its name and scope, the consultation's decisions on it,
// the description of an input, and the consultation's statuses. The
// searcher makes records, the writers (output, report) print them and the
// store remembers them; all of them import this package, and it imports
// only the engine.
package record

import (
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/regscreen/regscreen/screen"
)

// Record is one screened input row.
type Record struct {
	File    string
	Line    int
	ID      string
	Name    string
	Scope   string   // the first scope column, for the workbook
	Address string   // for the street/town
	Header  []string // the input's header, for CSV pass-through
	Cells   []string
	Result  screen.Result
	Notes   []string // data-quality notes (e.g. an invalid credit code)
	// Warning is a problem reading the row that did not stop it being
	// screened (bytes invalid in a forced encoding); also in Notes.
	Warning string

	// Derived once, where the record is screened, for every writer and the
	// store: the company's identity, a fingerprint of name + scope, the
	// street/town its address names, and whether its id has a note.
	Key    string
	FP     int64
	Street string
	BadID  bool
	// ExcelID: the id is a credit code a spreadsheet stored as a number
	// (a BadID whose last digits are lost); the name is the key.
	ExcelID bool
	// Decision is the consultation's latest decision on this company, when
	// the store has one; the workbook pre-fills its columns from it.
	Decision *Decision
}

// Flagged reports a referred or review record, what the text formats
// write by default.
func (r *Record) Flagged() bool {
	v := r.Result.Verdict
	return v == screen.Refer || v == screen.Review
}

// HasHits reports whether any term occurs in the record (used, denied or
// not): the store keeps the details of those records only.
func (r *Record) HasHits() bool { return len(r.Result.Hits) > 0 }

// Key picks a record's identity: the credit code or registration number
// when it is a valid one, else the exact name. An invalid id is never a
// key: codes a spreadsheet stored as numbers lose their last digits and
// would merge different companies (9.1532900918673E+17 for two bank
// branches).
func Key(id, name string) string {
	if id = strings.ToUpper(strings.TrimSpace(id)); id != "" && ValidID(id) {
		return id
	}
	if name = strings.TrimSpace(name); name != "" {
		return "名称:" + name
	}
	return ""
}

// Fingerprint is a compact hash of what change tracking compares, a
// record's name and scope (xxHash64 of name, a zero byte, scope). The
// store keeps older runs' fingerprints of another kind; see store.
func Fingerprint(name, scope string) int64 {
	var d xxhash.Digest
	d.Reset()
	d.WriteString(name)
	d.Write([]byte{0})
	d.WriteString(scope)
	return int64(d.Sum64())
}

// Consultation outcomes (处理状态), the choices of the workbook's dropdown.
const (
	StatusPending    = "待会商"
	StatusInProgress = "会商中"
	// StatusSupervised puts a company on the key-supervision list (重点监管对象).
	StatusSupervised = "列入重点监管"
	// StatusExcluded takes a company off the referral list while its name
	// and scope stay as they were.
	StatusExcluded = "排除"
)

// StatusChoices fill the 处理状态 dropdown, in the order a clerk works.
var StatusChoices = []string{StatusPending, StatusInProgress, StatusSupervised, StatusExcluded}

// Decision is one consultation decision about one company: read from a
// workbook the office filled in, kept in the store's history, and carried
// into the next run's workbook.
type Decision struct {
	Key     string `json:"key"`
	Status  string `json:"status"`  // 处理状态
	Opinion string `json:"opinion"` // 会商意见
	Handler string `json:"handler"` // 经办人
	// Date is the 日期 the office entered, YYYY-MM-DD; empty means the
	// day of the import.
	Date string `json:"date"`
	// FP is the company's fingerprint (name + scope) when it was decided:
	// a company ruled 排除 goes back to 送会商 once its name or scope
	// changes. Filled in by the store's import.
	FP int64 `json:"fp"`
	// Source is the workbook's file name; Run the run that wrote it (0 if
	// unknown). Imported is when it was imported.
	Source   string    `json:"source"`
	Run      int64     `json:"source_run,omitempty"`
	Imported time.Time `json:"imported"`
	// Name is the 企业名称 on the returned row: the import refuses a row
	// whose name is not one the store knows for its code (a sort that
	// moved the codes against the names). Not stored.
	Name string `json:"-"`
	// Where is the sheet and row it was read from (送会商!12), for messages.
	Where string `json:"-"`
	// Stale: the name or scope changed since the decision, so a ruling of
	// 排除 no longer holds and the company is referred again. Set where a
	// record meets its decision.
	Stale bool `json:"stale,omitempty"`
}

// Input describes one input of a run.
type Input struct {
	Name     string `json:"name"`
	Size     int64  `json:"size"`
	Hash     string `json:"xxh64,omitempty"` // xxHash64 of the bytes read, in hex (runs before schema 5 kept "sha256")
	Format   string `json:"format,omitempty"`
	Encoding string `json:"encoding,omitempty"`
	Sheet    string `json:"sheet,omitempty"`
	// Notes say what of the input was left unread and why (a hidden
	// sheet, a sheet with another header).
	Notes []string `json:"notes,omitempty"`
}

package input

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Options say how to read an input; empty fields are detected.
type Options struct {
	Format    string // csv, tsv, xlsx, xls, jsonl
	Encoding  string
	Delimiter rune
	Sheet     string
	NoHeader  bool
	// DeferChecks leaves per-cell checks to the caller (see RowChecker).
	DeferChecks bool
}

// RowChecker is a source whose per-cell checks can run off the reading
// goroutine.
type RowChecker interface {
	CheckRow(*Row) *RowError
}

// Info describes an opened input for the run's summary.
type Info struct {
	Format    string
	Encoding  string
	Sheet     string // the sheets read, joined by 、
	TitleRows int
	Notes     []string // sheets left unread, and why
}

// Opened is a source with what was detected about it.
type Opened struct {
	Source
	Info Info
}

// Open opens path ("-" for r) as the format given or detected from the
// first bytes and the extension: an OLE2 file is .xls whatever its name,
// a zip is XLSX, a leading { is JSON Lines, anything else delimited text.
// OpenDocument and WPS .et files are refused with what to do.
func Open(path string, r io.Reader, display string, opts Options) (*Opened, error) {
	if path != "-" && path != "" {
		// A directory opens without error on Unix and fails at the first read.
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			return nil, fmt.Errorf("%s 是目录，不是文件；请给出目录中的导出文件（如 %s）", display, filepath.Join(path, "*.csv"))
		}
	}
	format := strings.ToLower(opts.Format)
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(512)
	if msg := unreadFormat(display, extOf(path), format, head); msg != "" {
		return nil, errors.New(msg)
	}
	if format == "" {
		format = sniffFormat(head)
		if format == "ods" {
			return nil, errors.New(unreadFormat(display, "", "ods", head))
		}
	}
	if format == "" {
		switch extOf(path) {
		case ".xlsx", ".xlsm":
			format = "xlsx"
		case ".jsonl", ".ndjson":
			format = "jsonl"
		case ".tsv", ".tab":
			format = "tsv"
		default:
			switch {
			case bytes.HasPrefix(head, []byte("PK\x03\x04")):
				format = "xlsx"
			case bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n"), []byte("{")):
				format = "jsonl"
			default:
				format = "csv"
			}
		}
	}
	switch format {
	case "xls":
		src, err := openXLS(br, fileSize(path), display, opts.Sheet, opts.NoHeader)
		if err != nil {
			return nil, err
		}
		return &Opened{src, Info{Format: "xls", Encoding: src.Encoding(), Sheet: src.Sheet(), TitleRows: src.TitleRows()}}, nil
	case "xlsx":
		var src *XLSXSource
		var err error
		if path != "-" && regularFile(path) {
			src, err = openXLSXFile(path, br, display, opts.Sheet, opts.NoHeader)
		} else {
			src, err = openXLSX(br, display, opts.Sheet, opts.NoHeader)
		}
		if err != nil {
			return nil, err
		}
		src.setDeferChecks(opts.DeferChecks)
		sheets := append(src.Sheets()[:len(src.Sheets()):len(src.Sheets())], src.more...)
		return &Opened{src, Info{Format: "xlsx", Sheet: strings.Join(sheets, "、"), TitleRows: src.TitleRows(), Notes: src.Notes()}}, nil
	case "jsonl":
		src, err := openJSONL(br, display)
		// NoHeader does not apply: each object names its fields.
		if err != nil {
			return nil, err
		}
		return &Opened{src, Info{Format: "jsonl", Encoding: EncUTF8}}, nil
	case "csv", "tsv":
		d := opts.Delimiter
		if format == "tsv" && d == 0 {
			d = '\t'
		}
		src, err := OpenCSV(br, display, csvOptions{Delimiter: d, Encoding: opts.Encoding, NoHeader: opts.NoHeader})
		if err != nil {
			return nil, err
		}
		src.DeferChecks = opts.DeferChecks
		f := "csv"
		if src.Delimiter() == '\t' {
			f = "tsv"
		}
		return &Opened{src, Info{Format: f, Encoding: src.Encoding(), TitleRows: src.TitleRows()}}, nil
	}
	return nil, fmt.Errorf("不支持的输入格式 %q（可用：csv、tsv、xlsx、xls、jsonl）", opts.Format)
}

// regularFile reports whether path is a regular file: a workbook is read
// by seeking, so one given as a pipe or FIFO (/dev/stdin, <(…)) is read
// from the stream already opened and spooled, as "-" is.
func regularFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// Command mkxlsxdamage writes the damaged and hostile workbooks of the
// damage corpus. The small ones are committed in fixtures/damage (the
// input tests check they are what this writes); the hostile ones (3 GB of
// white space in 4 MB, a 1 GB shared string) are only written with
// -hostile DIR, for measuring peak RSS by hand:
//
//	go run ./internal/cmd/mkxlsxdamage -o fixtures/damage
//	go run ./internal/cmd/mkxlsxdamage -hostile /tmp/hostile
//	/usr/bin/time -v bin/regscreen scan -q /tmp/hostile/xlsx-whitespace-3g.xlsx
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/regscreen/regscreen/internal/xlsxdamage"
)

func main() {
	out := flag.String("o", "", "write the small cases (and their .want files) into this folder")
	hostile := flag.String("hostile", "", "write the hostile cases (gigabytes once inflated) into this folder")
	flag.Parse()
	if *out == "" && *hostile == "" {
		fmt.Fprintln(os.Stderr, "用法：mkxlsxdamage -o fixtures/damage | -hostile 目录")
		os.Exit(2)
	}
	write := func(dir string, cases []xlsxdamage.Case) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fail(err)
		}
		for _, c := range cases {
			f, err := os.Create(filepath.Join(dir, c.Name+".xlsx"))
			if err != nil {
				fail(err)
			}
			if err := c.Write(f); err != nil {
				fail(err)
			}
			if err := f.Close(); err != nil {
				fail(err)
			}
			if err := os.WriteFile(filepath.Join(dir, c.Name+".want"), []byte(c.Want), 0o644); err != nil {
				fail(err)
			}
			fmt.Fprintln(os.Stderr, "写入", filepath.Join(dir, c.Name+".xlsx"))
		}
	}
	if *out != "" {
		write(*out, xlsxdamage.Small())
	}
	if *hostile != "" {
		write(*hostile, xlsxdamage.Hostile())
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mkxlsxdamage:", err)
	os.Exit(1)
}

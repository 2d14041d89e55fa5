//go:build unix

package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/regscreen/regscreen/internal/interrupt"
)

// TestMain lets the kill test run this test binary as regscreen itself;
// REGSCREEN_TEST_SIGNAL_FIRST=1 interrupts it before main, as a Ctrl-C in
// the first milliseconds of start-up would.
func TestMain(m *testing.M) {
	if os.Getenv("REGSCREEN_TEST_MAIN") == "1" {
		if os.Getenv("REGSCREEN_TEST_SIGNAL_FIRST") == "1" {
			syscall.Kill(os.Getpid(), syscall.SIGINT)
			<-interrupt.Context().Done()
		}
		main()
		return
	}
	interrupt.Release() // go test's own Ctrl-C
	os.Exit(m.Run())
}

// TestInterruptBeforeMain: a Ctrl-C that comes while the program is still
// starting stops a scan with its one-line message (exit 2, as README says
// of an interrupted run) and ends check at once instead of being lost.
func TestInterruptBeforeMain(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in, db := filepath.Join(dir, "导出.csv"), filepath.Join(dir, "s.db")
	bigExport(t, in, 100)
	run := func(stdin io.Reader, args ...string) (int, string) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a lost signal must not hang the test
		defer cancel()
		cmd := exec.CommandContext(ctx, self, args...)
		cmd.Env = append(os.Environ(), "REGSCREEN_TEST_MAIN=1", "REGSCREEN_TEST_SIGNAL_FIRST=1")
		cmd.Stdin = stdin
		var errb strings.Builder
		cmd.Stderr = &errb
		err := cmd.Run()
		return exitOf(err), errb.String()
	}
	for _, args := range [][]string{{"scan", "-o", filepath.Join(dir, "x.csv"), in}, {"scan", "--db", db, in}} {
		code, msg := run(nil, args...)
		if code != exitError || !strings.HasPrefix(msg, "regscreen: 已中断：未写出任何结果") || strings.Count(msg, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q", args, code, msg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.csv")); err == nil {
		t.Error("an interrupted scan wrote its output")
	}
	// check waits on a pipe that never ends: the interrupt must end it.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	if code, msg := run(pr, "check"); code != 130 {
		t.Errorf("check: exit %d, stderr %q", code, msg)
	}
}

// bigExport writes n rows, a tenth of them using a term.
func bigExport(t *testing.T, path string, n int) {
	var b strings.Builder
	b.WriteString("统一社会信用代码,企业名称,经营范围,住所\n")
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("宁波某某%d五金有限公司", i)
		if i%10 == 0 {
			name = fmt.Sprintf("宁波某某%d理财咨询有限公司", i)
		}
		fmt.Fprintf(&b, "ID%08d,%s,五金销售；日用品批发；技术服务、技术开发、技术咨询,浙江省宁波市江北区中马街道人民路%d号\n", i, name, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestKilledRunsLeaveNothingBehind interrupts a --db -o x.xlsx run with
// SIGINT, SIGTERM and SIGKILL at several points: the target appears only
// if the run committed, the next run leaves no temporary file of ours
// anywhere, and the store stays intact with every run complete or failed.
func TestKilledRunsLeaveNothingBehind(t *testing.T) {
	if testing.Short() {
		t.Skip("runs regscreen as a process several times")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, tmp := t.TempDir(), t.TempDir()
	in, db, out := filepath.Join(dir, "导出.csv"), filepath.Join(dir, "s.db"), filepath.Join(dir, "会商名单.xlsx")
	bigExport(t, in, 15000)
	run := func(args ...string) *exec.Cmd {
		cmd := exec.Command(self, args...)
		cmd.Env = append(os.Environ(), "REGSCREEN_TEST_MAIN=1", "TMPDIR="+tmp)
		return cmd
	}
	start := time.Now()
	if err := run("scan", "-q", "--db", db, "-o", out, in).Run(); exitOf(err) != 1 {
		t.Fatalf("first run: %v", err)
	}
	full := time.Since(start)
	os.Remove(out)
	done := completeRuns(t, db)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL} {
		for _, at := range []float64{0.3, 0.9} {
			cmd := run("scan", "-q", "--db", db, "-o", out, in)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(at * float64(full)))
			cmd.Process.Signal(sig)
			code := exitOf(cmd.Wait())
			_, statErr := os.Stat(out)
			committed := completeRuns(t, db) > done
			switch {
			case statErr == nil && !committed:
				t.Errorf("%v at %.0f%%: exit %d, the workbook is there but the run is not stored", sig, at*100, code)
			case code == 1 && (!committed || statErr != nil):
				t.Errorf("%v at %.0f%%: exit 1 but the run is not stored or the workbook is missing", sig, at*100)
			case sig != syscall.SIGKILL && code != 1 && code != exitError:
				t.Errorf("%v at %.0f%%: exit %d, want 2", sig, at*100, code)
			}
			if listed, _ := run("db", "runs", "--db", db).Output(); sig == syscall.SIGKILL && strings.Contains(string(listed), "进行中") {
				t.Errorf("kill -9 at %.0f%%: db runs shows the dead run as 进行中:\n%s", at*100, listed)
			}
			done = completeRuns(t, db)
			os.Remove(out)
			if sig != syscall.SIGKILL {
				assertNoTemporaryFiles(t, fmt.Sprintf("%v at %.0f%%", sig, at*100), dir, tmp)
			}
		}
	}
	// The next run clears what the killed ones left.
	if err := run("scan", "-q", "--db", db, "-o", out, in).Run(); exitOf(err) != 1 {
		t.Fatalf("run after the kills: %v", err)
	}
	assertNoTemporaryFiles(t, "after the next run", dir, tmp)
	conn, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var ok string
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check: %q %v", ok, err)
	}
	var running int
	conn.QueryRow("SELECT COUNT(*) FROM runs WHERE status NOT IN ('complete','failed')").Scan(&running)
	if running != 0 {
		t.Errorf("%d runs left neither complete nor failed", running)
	}
}

func exitOf(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return -1
}

func assertNoTemporaryFiles(t *testing.T, when string, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if n := e.Name(); strings.Contains(n, ".tmp-") || strings.HasPrefix(n, "excelize-") || strings.HasPrefix(n, "regscreen-") {
				t.Errorf("%s: %s left in %s", when, n, d)
			}
		}
	}
}

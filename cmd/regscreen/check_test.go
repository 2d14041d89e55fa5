package main

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

// TestCheckAnswersEachLineAtOnce: names arriving one by one on stdin (typed,
// or through tail -f) are answered before the next one comes, in both
// formats, although the output is buffered.
func TestCheckAnswersEachLineAtOnce(t *testing.T) {
	for _, format := range []string{"text", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			inR, inW := io.Pipe()
			outR, outW := io.Pipe()
			t.Cleanup(func() { inW.Close() })
			done := make(chan int, 1)
			go func() {
				code := Run([]string{"check", "--format", format}, &IOStreams{In: inR, Out: outW, ErrOut: io.Discard})
				outW.Close()
				done <- code
			}()
			// Output lines as they come; the channel's room keeps the
			// reader from ever holding check up.
			lines := make(chan string, 1024)
			go func() {
				sc := bufio.NewScanner(outR)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
			}()
			// The guard only turns a hang into a failure.
			guard := time.After(10 * time.Second)
			for _, name := range []string{"宁波某某理财咨询有限公司", "宁波某某五金有限公司"} {
				written := make(chan error, 1)
				go func() { _, err := io.WriteString(inW, name+"\n"); written <- err }()
			wait:
				for {
					select {
					case line, ok := <-lines:
						if !ok {
							t.Fatalf("output ended before the answer to %s", name)
						}
						if strings.Contains(line, name) {
							break wait
						}
					case <-guard:
						t.Fatalf("no answer to %s while stdin stays open", name)
					}
				}
				if err := <-written; err != nil {
					t.Fatal(err)
				}
			}
			inW.Close()
			for range lines {
			}
			if code := <-done; code != exitFlagged {
				t.Fatalf("exit %d, want %d", code, exitFlagged)
			}
		})
	}
}

// TestCheckExplain: --explain shows, for each hit, the tokens, the two
// readings compared, the cue and its reach (or that none applies) and the
// rule that decided.
func TestCheckExplain(t *testing.T) {
	r := runCLI(t, "", "check", "--explain", "宁波甬江交易所运营管理有限公司", "投资咨询（不含金融业务）", "代办房屋交易所涉及的税费")
	if r.code != exitFlagged {
		t.Fatalf("exit %d, err %q", r.code, r.err)
	}
	for _, want := range []string{
		"分词：宁波|甬|江|交易所|运营|管理|有限公司", "整词读法：宁波|甬|江|交易所|运营|管理|有限公司（距离",
		"不含该词的读法：宁波|甬|江|交易|所运|营|管理|有限公司（距离", "整词读法明显更好", "→ 使用",
		"否定提示词：“不含…”，作用范围：“不含金融业务”", "→ 否定",
		"是助词“所”（交易|所V）", "→ 跨词", "（交易|所涉及）",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("check --explain output lacks %q:\n%s", want, r.out)
		}
	}
	if r := runCLI(t, "", "check", "--explain", "--format", "jsonl", "理财"); r.code != exitError || !strings.Contains(r.err, "--explain") {
		t.Errorf("--explain with jsonl: exit %d, err %q", r.code, r.err)
	}
}

// TestCheckPromptsAtATerminal: check reading a terminal says what it
// waits for; reading a pipe it says nothing (stderr stays clean for scripts).
func TestCheckPromptsAtATerminal(t *testing.T) {
	for _, tty := range []bool{true, false} {
		var out, errb bytes.Buffer
		code := Run([]string{"check"}, &IOStreams{In: strings.NewReader("理财咨询\n"), Out: &out, ErrOut: &errb, InTTY: tty})
		prompted := strings.Contains(errb.String(), "请输入企业名称或经营范围，每行一条；") && strings.Contains(errb.String(), "结束")
		if code != exitFlagged || prompted != tty || strings.Count(errb.String(), "\n") > 1 {
			t.Errorf("stdin a terminal %v: exit %d, stderr %q", tty, code, errb.String())
		}
	}
}

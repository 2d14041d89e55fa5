package main

import (
	"bufio"
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

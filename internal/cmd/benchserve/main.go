// Command benchserve is `make bench-serve`'s load generator: it starts
// `regscreen serve` (the binary given), sends POST /api/v1/check from
// -conns keep-alive connections for -d, and reports requests/s,
// records/s, the latency percentiles and the server's peak RSS.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/regscreen", "the regscreen binary")
	conns := flag.Int("conns", 32, "keep-alive connections")
	recs := flag.Int("records", 1, "records per request")
	dur := flag.Duration("d", 10*time.Second, "how long to send")
	flag.Parse()
	addr := freeAddr()
	srv := exec.Command(*bin, "serve", "--addr", addr)
	srv.Stderr = io.Discard
	if err := srv.Start(); err != nil {
		fail(err)
	}
	defer srv.Process.Kill()
	url := "http://" + addr + "/api/v1/check"
	waitUp("http://" + addr + "/healthz")
	body := requestBody(*recs)
	var peak atomic.Int64
	stop := make(chan struct{})
	go watchRSS(srv.Process.Pid, &peak, stop)
	lat := make([][]time.Duration, *conns)
	var errs atomic.Int64
	var wg sync.WaitGroup
	end := time.Now().Add(*dur)
	start := time.Now()
	for i := range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}
			for time.Now().Before(end) {
				t0 := time.Now()
				resp, err := client.Post(url, "application/json", bytes.NewReader(body))
				if err != nil || resp.StatusCode != 200 {
					errs.Add(1)
					if err == nil {
						resp.Body.Close()
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat[i] = append(lat[i], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stop)
	summarise(lat, elapsed, errs.Load(), *recs, *conns, *dur)
	fmt.Printf("  server peak RSS %.1f MB\n", float64(peak.Load())/1e6)
}

// summarise prints the throughput and the latency percentiles.
func summarise(lat [][]time.Duration, elapsed time.Duration, errs int64, recs, conns int, dur time.Duration) {
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
	n := len(all)
	if n == 0 {
		fail(fmt.Errorf("no request succeeded (%d errors)", errs))
	}
	pct := func(p float64) time.Duration { return all[min(n-1, int(float64(n)*p))] }
	fmt.Printf("check, %d record(s)/request, %d connections, %v: %d requests, %d errors\n", recs, conns, dur.String(), n, errs)
	fmt.Printf("  %.0f requests/s, %.0f records/s\n", float64(n)/elapsed.Seconds(), float64(n*recs)/elapsed.Seconds())
	fmt.Printf("  latency p50 %v, p99 %v, max %v\n", pct(0.5), pct(0.99), all[n-1])
}

func requestBody(n int) []byte {
	names := []string{"宁波某某理财咨询有限公司", "宁波江北恒达五金贸易有限公司", "宁波甬江交易所运营管理有限公司", "宁波某某投资管理有限公司"}
	var recs []map[string]string
	for i := range n {
		recs = append(recs, map[string]string{"id": strconv.Itoa(i), "name": names[i%len(names)],
			"scope": "投资咨询（不含金融业务）；企业管理咨询；五金交电批发、零售。"})
	}
	b, _ := json.Marshal(map[string]any{"records": recs})
	return b
}

func watchRSS(pid int, peak *atomic.Int64, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(100 * time.Millisecond):
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				if kb*1024 > peak.Load() {
					peak.Store(kb * 1024)
				}
			}
		}
	}
}

func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitUp(url string) {
	for range 100 {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	fail(fmt.Errorf("the server did not start"))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchserve:", err)
	os.Exit(1)
}

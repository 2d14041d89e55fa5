//go:build browser

// Browser tests: the pages driven in Debian's chromium through chromedp
// (make test-browser installs chromium and runs them). With
// UPDATE_SCREENSHOTS=1 they write the screenshots in docs/.
package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/report"
)

func browser(t *testing.T) (context.Context, *httptest.Server) {
	t.Helper()
	return browserWith(t, Config{})
}

// browserWith is browser for a server with more of cfg set (a store).
func browserWith(t *testing.T, cfg Config) (context.Context, *httptest.Server) {
	t.Helper()
	cfg.Addr, cfg.Token = "0.0.0.0:0", "browser-token"
	s := newServer(t, cfg)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.NoSandbox, chromedp.WindowSize(1200, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	return ctx, ts
}

func screenshot(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if os.Getenv("UPDATE_SCREENSHOTS") == "" {
			return nil
		}
		png, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join("..", "docs", name), png, 0o644)
	})
}

func must[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// login goes through the token page.
func login(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("token"))); err != nil {
		t.Fatal(err)
	}
	if url := must(t, ctx, chromedp.Location()); !strings.HasSuffix(url, "/login") {
		t.Errorf("without the cookie the page went to %s", url)
	}
	if err := chromedp.Do(ctx, screenshot("serve-login.png"),
		chromedp.SendKeys(chromedp.ID("token"), "browser-token"), chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("check-name"))); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserCheckHighlightsAndStaysInert(t *testing.T) {
	ctx, ts := browser(t)
	login(t, ctx, ts.URL)
	hostile := `<img src=x onerror="document.title='pwned'">宁波某某理财咨询有限公司<script>document.title='pwned'</script>`
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("check-name"), hostile),
		chromedp.SendKeys(chromedp.ID("check-scope"), "投资咨询（不含金融业务）"),
		chromedp.Click(chromedp.ID("check-go")),
		chromedp.WaitVisible(chromedp.CSS("#check-results .result")),
		chromedp.Sleep(300*time.Millisecond),
		screenshot("serve-check.png"),
	); err != nil {
		t.Fatal(err)
	}
	marks := must(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#check-results mark"), m => m.textContent)`))
	if len(marks) != 2 || marks[0] != "理财" || marks[1] != "金融" {
		t.Errorf("highlights %q", marks)
	}
	elems := must(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#check-results img, #check-results script").length`))
	title := must(t, ctx, chromedp.Title())
	text := must(t, ctx, chromedp.Evaluate[string](`document.querySelector("#check-results .result .text").textContent`))
	if elems != 0 || title == "pwned" || !strings.Contains(text, "<img src=x") {
		t.Errorf("the hostile name was not inert: %d elements, title %q, text %q", elems, title, text)
	}
}

func TestBrowserBatchDownloadsTheWorkbook(t *testing.T) {
	ctx, ts := browser(t)
	login(t, ctx, ts.URL)
	sample, _ := filepath.Abs("../fixtures/sample.csv")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`button[data-tab="batch"]`)),
		chromedp.SetUploadFiles(chromedp.ID("batch-file"), []string{sample}),
		chromedp.Click(chromedp.ID("batch-go")),
		chromedp.WaitVisible(chromedp.ID("batch-download")),
		screenshot("serve-batch.png"),
	); err != nil {
		t.Fatal(err)
	}
	status := must(t, ctx, chromedp.Evaluate[string](`document.getElementById("batch-status").textContent`))
	if !strings.Contains(status, "读取 30 行") || !strings.Contains(status, "送会商 12") {
		t.Errorf("status %q", status)
	}
	b64 := must(t, ctx, chromedp.Evaluate[string](`(async () => {
		const b = await (await fetch(document.getElementById("batch-download").href)).arrayBuffer();
		let s = ""; for (const x of new Uint8Array(b)) s += String.fromCharCode(x); return btoa(s); })()`, chromedp.EvalAwaitPromise))
	raw, _ := base64.StdEncoding.DecodeString(b64)
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the download is no workbook (%d bytes): %v", len(raw), err)
	}
	rows, _ := f.GetRows(report.SheetRefer)
	if len(rows) < 12 {
		t.Errorf("送会商 has %d rows", len(rows))
	}
}

// TestBrowserStorePages: with a store, 变动 lists the last two nights'
// changes and 企业历史 finds a company by part of its name, naming the
// other companies a part matches.
func TestBrowserStorePages(t *testing.T) {
	ctx, ts := browserWith(t, Config{Store: nightlyStore(t)})
	login(t, ctx, ts.URL)
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`button[data-tab="changes"]`)),
		chromedp.Click(chromedp.ID("changes-go")),
		chromedp.WaitVisible(chromedp.CSS("#changes-table tbody tr")),
	); err != nil {
		t.Fatal(err)
	}
	changes := must(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#changes-table tbody tr").length`))
	summary := must(t, ctx, chromedp.Evaluate[string](`document.getElementById("changes-summary").textContent`))
	if changes == 0 || summary == "" {
		t.Errorf("变动: %d rows, summary %q", changes, summary)
	}
	history := func(q string) (key string, runs int) {
		t.Helper()
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`button[data-tab="history"]`)),
			chromedp.SetValue(chromedp.ID("history-q"), q),
			chromedp.Click(chromedp.ID("history-go")),
			chromedp.WaitVisible(chromedp.CSS("#history-table tbody tr")),
		); err != nil {
			t.Fatal(err)
		}
		key = must(t, ctx, chromedp.Evaluate[string](`document.getElementById("history-key").textContent`))
		runs = must(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#history-table tbody tr").length`))
		return key, runs
	}
	if key, runs := history("甬信理财"); !strings.Contains(key, "91330205AY4CL12THT") || strings.Contains(key, "其余") || runs != 2 {
		t.Errorf("history by part of a name: %q, %d runs", key, runs)
	}
	if key, _ := history("宁波江北"); !strings.Contains(key, "显示第一家；其余：") {
		t.Errorf("a part many names share: %q", key)
	}
}

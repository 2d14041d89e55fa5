package web

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/regscreen/regscreen/internal/version"
	"github.com/regscreen/regscreen/run"
	"github.com/regscreen/regscreen/screen"
)

// Options are `regscreen serve`'s flags: the server's Config and what
// only the command does.
type Options struct {
	Config
	TokenFile string
	Open      bool          // open the page in the default browser
	Grace     time.Duration // for requests in flight at shutdown
}

// AddFlags defines serve's flags on f.
func (o *Options) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.Addr, "addr", DefaultAddr, "监听`地址`（主机:端口）；不是 127.0.0.1/localhost 时须设访问令牌")
	f.StringVar(&o.Token, "token", "", "访问`令牌`：接口调用带 Authorization: Bearer 令牌，网页首次访问时输入（也可用 $REGSCREEN_TOKEN）")
	f.StringVar(&o.TokenFile, "token-file", "", "从`文件`读取访问令牌（首行），避免令牌出现在进程列表中")
	f.StringVar(&o.CertFile, "cert", "", "TLS 证书`文件`（PEM），与 --key 同用则启用 HTTPS")
	f.StringVar(&o.KeyFile, "key", "", "TLS 私钥`文件`（PEM）")
	f.StringVar(&o.Store, "db", "", "存储`文件`：提供运行记录、变动、企业历史和导入会商结论的接口与页面")
	f.Int64Var(&o.MaxUpload, "max-upload", DefaultMaxUpload, "上传文件的`字节数`上限（批量筛查、导入会商结论）")
	f.IntVar(&o.MaxCheckRecs, "max-records", DefaultMaxCheckRecs, "每次核查请求的`记录数`上限")
	f.IntVar(&o.MaxScans, "max-scans", 2, "同时进行的批量筛查`个数`（其中生成工作簿的同一时间只做一个），其余返回 503 稍后重试")
	f.DurationVar(&o.ScanTimeout, "scan-timeout", DefaultScanTimeout, "每次批量筛查的`时限`")
	f.DurationVar(&o.CheckTimeout, "request-timeout", DefaultCheckTimeout, "其他每个请求的`时限`")
	f.DurationVar(&o.Grace, "grace", 30*time.Second, "收到停止信号后等待进行中请求完成的`时长`，之后取消它们")
	f.BoolVar(&o.Open, "open", false, "启动后在默认浏览器中打开网页版")
}

// Run serves until ctx is cancelled (SIGINT, SIGTERM), logging to logw.
func Run(ctx context.Context, o Options, scr *screen.Screener, logw io.Writer) error {
	// The collector set once for the largest run the server makes (a
	// workbook), as scan sets it for its own: a fifth less CPU a scan.
	defer run.TuneMemory(true, false)()
	if o.Token == "" {
		o.Token = os.Getenv("REGSCREEN_TOKEN")
	}
	if o.TokenFile != "" {
		b, err := os.ReadFile(o.TokenFile)
		if err != nil {
			return fmt.Errorf("读取令牌文件 %s 失败；请检查路径和权限", o.TokenFile)
		}
		o.Token = strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
		if o.Token == "" {
			return fmt.Errorf("令牌文件 %s 是空的", o.TokenFile)
		}
	}
	o.Tool = "regscreen " + version.Number
	o.AccessLog = logw
	s, err := New(o.Config, scr)
	if err != nil {
		return err
	}
	scheme := "http"
	if o.CertFile != "" {
		scheme = "https"
	}
	return s.Serve(ctx, o.Grace, func(addr string) {
		url := scheme + "://" + addr + "/"
		fmt.Fprintf(logw, "网页版和接口已启动：%s（词典版本 %s）；按 Ctrl-C 停止\n", url, scr.DictVersion())
		if o.Open {
			if err := openBrowser(url); err != nil {
				fmt.Fprintf(logw, "无法打开浏览器，请手动访问 %s\n", url)
			}
		}
	})
}

// openBrowser opens url in the default browser.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	case "darwin":
		cmd = exec.Command("open", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

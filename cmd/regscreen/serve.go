package main

import (
	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/web"
)

func newServeCmd(ios *IOStreams, dictOpts *DictOptions) *cobra.Command {
	opts := &web.Options{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "启动网页版和 HTTP 接口（名称核查、批量筛查；有 --db 时含运行记录、变动、企业历史）",
		Long: `启动网页版和 JSON 接口（说明见 docs/openapi.json）。默认只在本机 127.0.0.1:8080 上监听；
在其他地址上监听须设访问令牌。访问日志写到标准错误（不含记录内容）；Ctrl-C 或 SIGTERM 时等待进行中的请求完成后停止。`,
		Example: `  regscreen serve --open
  regscreen serve --addr 0.0.0.0:8443 --token-file /etc/regscreen/token --cert 证书.pem --key 私钥.pem --db 全区.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			scr, err := dictOpts.load()
			if err != nil {
				return err
			}
			return web.Run(ios.context(), *opts, scr, ios.ErrOut)
		},
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

//go:build windows

package main

import (
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sys/windows"
)

// Chinese text needs no code-page switch here: when a standard stream is a
// console, Go's os.File writes it with WriteConsoleW (UTF-16), which shows
// the same under code page 936 and 65001, and reads console input and the
// command line as UTF-16 too. Changing the console's code page would outlive
// this process in the clerk's cmd.exe window. Files and pipes get UTF-8
// bytes untouched.
func init() {
	// Double-clicked in Explorer, a console program flashes and vanishes;
	// cobra then shows this text instead of running.
	cobra.MousetrapHelpText = "regscreen 是命令行程序，不能双击运行。\n" +
		"请打开“命令提示符”或 PowerShell，进入要处理的文件所在的文件夹，再输入 regscreen --help。\n"
	cobra.MousetrapDisplayDuration = 20 * time.Second
	// The progress line redraws itself with "\r\033[K"; conhost shows the
	// escape as "←[K" unless virtual-terminal processing is on. Windows 10,
	// the oldest Windows Go supports, has it.
	enableVT(os.Stderr)
}

func enableVT(f *os.File) {
	h := windows.Handle(f.Fd())
	var mode uint32
	if windows.GetConsoleMode(h, &mode) != nil {
		return // a file or pipe: nothing to do
	}
	_ = windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING|windows.ENABLE_PROCESSED_OUTPUT)
}

// Package profile writes the developer's profiles of a run (scan's hidden
// --cpuprofile and --memprofile), for go tool pprof.
package profile

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// Start starts the profiles asked for (a path, or "" for none); the
// returned stop writes them.
func Start(cpu, mem string, errOut io.Writer) (func(), error) {
	stop := func() {}
	if cpu != "" {
		pf, err := os.Create(cpu)
		if err != nil {
			return nil, fmt.Errorf("创建剖析文件 %s: %w", cpu, err)
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			pf.Close()
			return nil, err
		}
		stop = func() { pprof.StopCPUProfile(); pf.Close() }
	}
	if mem == "" {
		return stop, nil
	}
	return func() { stop(); writeHeapProfile(mem, errOut) }, nil
}

// writeHeapProfile writes the allocation profile for --memprofile; a failure
// only warns, since the scan itself succeeded.
func writeHeapProfile(path string, errOut io.Writer) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(errOut, "regscreen: 写内存剖析 %s 失败: %v\n", path, err)
	}
}

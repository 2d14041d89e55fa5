//go:build !ne

package main

// Without -tags ne, gse embeds its own 32 MB of dictionaries that regscreen
// never uses (the binary grows from ~18 MB to ~58 MB) and the version stamp
// from make is missing. Rather than build that silently, this file refuses
// to compile; the compiler's "undefined: …" names what to do instead.
var _ = 请用make_install安装_或在go命令中加上_tags_ne

#!/usr/bin/env bash
# make smoke-windows: runs the Windows release binary under wine and checks
# that it behaves like the Linux one on the same inputs — same stdout bytes,
# same exit status, same output files (CSV, JSONL; workbooks compared by
# reading them back), and a store that works across two runs. Inputs sit in
# a folder whose name has Chinese characters and a space.
#
# Needs Debian's wine64 (installed with apt-get when missing, as root or via
# sudo). Debian 12's wine 8.0 lacks bcryptprimitives.dll, which Go's Windows
# runtime needs since Go 1.24; internal/cmd/wineshim writes a stand-in into
# the wine prefix (test scaffolding only, see there).
#
# Environment: WINEPREFIX (default ~/.cache/regscreen-wine, created on first
# use, ~40 s), KEEP=1 keeps the work folder for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

find_wine() {
	command -v wine64 || command -v wine || { [ -x /usr/lib/wine/wine64 ] && echo /usr/lib/wine/wine64; } || true
}
WINE=$(find_wine)
if [ -z "$WINE" ]; then
	echo "== installing wine64 (apt-get)" >&2
	sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wine64 >&2
	WINE=$(find_wine)
	[ -n "$WINE" ] || { echo "wine64 installed but no wine binary found" >&2; exit 1; }
fi
export WINEPREFIX=${WINEPREFIX:-$HOME/.cache/regscreen-wine} WINEDEBUG=-all
if [ ! -f "$WINEPREFIX/system.reg" ]; then
	echo "== creating wine prefix $WINEPREFIX" >&2
	"$WINE" wineboot.exe --init > /dev/null 2>&1
fi
shim=$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll
if [ ! -f "$shim" ] && ! find "$(dirname "$(readlink -f "$WINE")")/.." -iname bcryptprimitives.dll 2> /dev/null | grep -q .; then
	echo "== wine has no bcryptprimitives.dll: writing the stand-in $shim" >&2
	go run ./internal/cmd/wineshim -o "$shim"
fi

echo "== building linux/amd64 and windows/amd64 (make build, make cross)" >&2
make --no-print-directory build > /dev/null
make --no-print-directory cross DIST_TARGETS=windows/amd64 > /dev/null
lin=$root/bin/regscreen
win=$root/bin/windows-amd64/regscreen.exe

work=$(mktemp -d)
if [ "${KEEP:-}" = 1 ]; then echo "work folder: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
# One folder per binary, each with the inputs under 登记 导出/.
for side in lin win; do
	mkdir -p "$work/$side/登记 导出"
	cp fixtures/exports/gbk-title.csv "$work/$side/登记 导出/江北 导出(GBK).csv"
	cp fixtures/exports/two-sheets.xlsx "$work/$side/登记 导出/两个 工作表.xlsx"
	cp fixtures/sample.csv fixtures/evolving/night1.csv fixtures/evolving/night2.csv "$work/$side/登记 导出/"
done

fail=0
pass=0
# both NAME ARGS…: runs each binary in its folder; stdout and the exit
# status must match. stderr is kept for the panic check below. With norm
# set, that sed expression is applied to both stdouts first (run times).
both() {
	local name=$1
	shift
	local rl rw
	set +e
	(cd "$work/lin" && "$lin" "$@" > "$name.out" 2> "$name.err")
	rl=$?
	(cd "$work/win" && "$WINE" "$win" "$@" > "$name.out" 2> "$name.err")
	rw=$?
	set -e
	if [ -n "${norm:-}" ]; then
		sed -i -E "$norm" "$work/lin/$name.out" "$work/win/$name.out"
	fi
	if [ "$rl" != "$rw" ]; then
		echo "FAIL $name: exit status linux $rl, windows $rw" >&2
		sed 's/^/  windows stderr: /' "$work/win/$name.err" | head -5 >&2
		fail=$((fail + 1))
	elif ! cmp -s "$work/lin/$name.out" "$work/win/$name.out"; then
		echo "FAIL $name: stdout differs" >&2
		diff "$work/lin/$name.out" "$work/win/$name.out" | head -10 >&2 || true
		fail=$((fail + 1))
	else
		echo "ok   $name (exit $rl, $(wc -c < "$work/lin/$name.out") bytes identical)" >&2
		pass=$((pass + 1))
	fi
}
# same FILE: an output file both runs wrote must be byte-identical.
same() {
	if [ ! -f "$work/win/$1" ]; then
		echo "FAIL windows did not write $1" >&2
		fail=$((fail + 1))
	elif cmp -s "$work/lin/$1" "$work/win/$1"; then
		echo "ok   $1 ($(wc -c < "$work/lin/$1") bytes identical)" >&2
		pass=$((pass + 1))
	else
		echo "FAIL $1 differs" >&2
		diff "$work/lin/$1" "$work/win/$1" | head -10 >&2 || true
		fail=$((fail + 1))
	fi
}

both version --version
both check check "宁波某某理財咨询有限公司"
both check-jsonl check --format jsonl "宁波某某理財咨询有限公司" "江北金融信息服务有限公司（不含金融业务）"
both scan-gbk scan --format jsonl "登记 导出/江北 导出(GBK).csv"
both scan-gbk-o scan -q -o "登记 导出/结果 GBK.csv" "登记 导出/江北 导出(GBK).csv"
same "登记 导出/结果 GBK.csv"
both scan-xlsx scan "登记 导出/两个 工作表.xlsx"
both scan-xlsx-jsonl scan -q --all --format jsonl -o "登记 导出/结果 xlsx.jsonl" "登记 导出/两个 工作表.xlsx"
same "登记 导出/结果 xlsx.jsonl"
both scan-o-xlsx scan -q --all -o "登记 导出/会商 名单.xlsx" "登记 导出/sample.csv"
# A workbook holds its run's times, so it is compared by reading it back
# with the Linux binary: the same rows must come out of both.
for side in lin win; do
	(cd "$work/$side" && "$lin" scan -q --all --sheet 全部记录 --format jsonl "登记 导出/会商 名单.xlsx" > "readback.jsonl" 2> readback.err) || true
done
same readback.jsonl
both db-run1 scan -q --db "存储 库.db" "登记 导出/night1.csv"
both db-run2 scan -q --db "存储 库.db" "登记 导出/night2.csv"
both db-changes changes --db "存储 库.db" --format jsonl
norm='s/"started":"[^"]*"/"started":"…"/g' both db-history history --db "存储 库.db" --format jsonl 91330205AY4CL12THT
# The Windows-written store must read the same on Linux (one file format).
(cd "$work/win" && "$lin" changes --db "存储 库.db" --format jsonl > changes-by-linux.out 2> /dev/null) || true
if cmp -s "$work/lin/db-changes.out" "$work/win/changes-by-linux.out"; then
	echo "ok   store written on Windows, read on Linux: same changes" >&2
	pass=$((pass + 1))
else
	echo "FAIL store written on Windows reads differently on Linux" >&2
	fail=$((fail + 1))
fi
# completion powershell: the script PowerShell sources.
(cd "$work/win" && "$WINE" "$win" completion powershell > completion.ps1 2> completion.err) || true
if grep -q 'Register-ArgumentCompleter' "$work/win/completion.ps1"; then
	echo "ok   completion powershell ($(wc -c < "$work/win/completion.ps1") bytes)" >&2
	pass=$((pass + 1))
else
	echo "FAIL completion powershell gave no completer" >&2
	fail=$((fail + 1))
fi

# The console itself: under script(1) wine gives the program a console
# (Go then writes it with WriteConsoleW); Chinese must read the same
# whether cmd's code page is 936 (Chinese Windows) or 65001.
if command -v script > /dev/null; then
	for cp in 936 65001; do
		out=$(cd "$(dirname "$win")" && timeout 120 script -qc "'$WINE' cmd /c 'chcp $cp > nul & regscreen.exe check 宁波某某理財咨询有限公司'" /dev/null 2>&1 | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' || true)
		if grep -q '结论：送会商' <<< "$out"; then
			echo "ok   console, code page $cp: Chinese readable" >&2
			pass=$((pass + 1))
		else
			echo "FAIL console, code page $cp:" >&2
			head -3 <<< "$out" >&2
			fail=$((fail + 1))
		fi
	done
fi

if grep -l -E 'panic|goroutine [0-9]' "$work"/*/*.err 2> /dev/null; then
	echo "FAIL a run above crashed (files listed)" >&2
	fail=$((fail + 1))
fi
echo "smoke-windows: $pass passed, $fail failed ($("$WINE" --version 2> /dev/null || echo wine))" >&2
[ "$fail" = 0 ]

#!/usr/bin/env bash
# make bench: whole-process timings of regscreen against grep -F and rg -F on
# two exports of the same size, medians of several runs side by side, then
# the engine's Go benchmarks. No assertion: tables.
#   generated: ../shared/bench/gen (seed 1): short cells, made-up text;
#   real text: ../shared/bench/real (seed 1): rows drawn from ../shared/realdata,
#     long real scopes, a fifth of the rows with a quoted cell.
# Every figure is taken on both.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-5}
# ../shared from the main checkout; ../../shared from a worktree under wt/.
SHARED=${SHARED:-../shared}
[ -d "$SHARED" ] || SHARED=../../shared
DATA=bench/data
BIN=bin/regscreen
mkdir -p "$DATA"
tag=$ROWS
[ "$ROWS" = 1000000 ] && tag=1m
terms=$DATA/terms.txt
exports=(gen real)
declare -A csv gb night2 db1 db2 title
csv[gen]=$DATA/reg$ROWS.csv
csv[real]=$DATA/real$tag.csv
title[gen]="生成数据（../shared/bench/gen）"
title[real]="真实文本（../shared/bench/real，行取自 ../shared/realdata）"
for e in "${exports[@]}"; do
  gb[$e]=${csv[$e]%.csv}.gb18030.csv
  night2[$e]=${csv[$e]%.csv}-night2.csv
  db1[$e]=$DATA/bench-$e-night1.db
  db2[$e]=$DATA/bench-$e-night2.db
done
if [ ! -s "${csv[gen]}" ]; then
  echo "生成 ${csv[gen]} …" >&2
  go run "$SHARED/bench/gen/main.go" -n "$ROWS" -seed 1 -o "${csv[gen]}" >&2
fi
if [ ! -s "${gb[gen]}" ]; then
  go run "$SHARED/bench/gen/main.go" -n "$ROWS" -seed 1 -encoding gb18030 -o "${gb[gen]}" >&2
fi
if [ ! -s "${csv[real]}" ]; then
  echo "生成 ${csv[real]} …" >&2
  go run "$SHARED/bench/real/main.go" -n "$ROWS" -seed 1 -o "${csv[real]}" >&2
fi
if [ ! -s "${gb[real]}" ] || [ "${gb[real]}" -ot "${csv[real]}" ]; then
  iconv -f UTF-8 -t GB18030 "${csv[real]}" > "${gb[real]}"
fi
for e in "${exports[@]}"; do
  if [ ! -s "${night2[$e]}" ] || [ "${night2[$e]}" -ot "${csv[$e]}" ]; then
    awk -f scripts/night2.awk "${csv[$e]}" > "${night2[$e]}"
  fi
done
printf '%s\n' 交易所 交易中心 金融 资产管理 理财 基金 基金管理 投资管理 财富管理 股权投资基金 网贷 网络借贷 P2P 股权众筹 互联网保险 支付 > "$terms"
make -s build >&2
[ -x /usr/bin/time ] || echo "没有 /usr/bin/time（apt-get install time）：只计时，不测峰值 RSS" >&2
has_rg=false
command -v rg > /dev/null && has_rg=true

# Each round runs every tool on both exports once, so that the machine's
# noise (a shared VM) falls on all of them alike; medians over the rounds.
# A name is export:tool.
declare -A times rss cpus
names=()
for e in "${exports[@]}"; do
  names+=("$e:utf8" "$e:gb18030" "$e:grep")
  $has_rg && names+=("$e:rg")
  # scan --db: the first night into a new store, the second night (1% of
  # scopes changed, scripts/night2.awk) into a copy of it, each beside the
  # plain scan of the same file in the same round.
  names+=("$e:db-night1" "$e:night2" "$e:db-night2")
done
prep() {
  local e=${1%%:*}
  case ${1#*:} in
    db-night1) rm -f "${db1[$e]}" "${db1[$e]}"-journal "${db1[$e]}".lock ;;
    # The second night runs on the store as the first left it: the lock
    # file (which holds the first night's clean-close stamp) and the
    # times are copied too, as a nightly job finds them.
    db-night2)
      rm -f "${db2[$e]}" "${db2[$e]}"-journal "${db2[$e]}".lock
      cp -p "${db1[$e]}" "${db2[$e]}"; cp -p "${db1[$e]}".lock "${db2[$e]}".lock ;;
  esac
}
cmd_for() {
  local e=${1%%:*}
  case ${1#*:} in
    utf8) echo "$BIN scan -q ${csv[$e]}" ;;
    gb18030) echo "$BIN scan -q ${gb[$e]}" ;;
    grep) echo "grep -c -F -f $terms ${csv[$e]}" ;;
    rg) echo "rg -c -F -f $terms ${csv[$e]}" ;;
    db-night1) echo "$BIN scan -q --db ${db1[$e]} ${csv[$e]}" ;;
    night2) echo "$BIN scan -q ${night2[$e]}" ;;
    db-night2) echo "$BIN scan -q --db ${db2[$e]} ${night2[$e]}" ;;
  esac
}
echo "负载（开始）：$(uptime)" >&2
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq "$RUNS"); do
  for n in "${names[@]}"; do
    prep "$n"
    # Output to a file, not /dev/null: GNU grep stops at the first match when
    # it sees its output is /dev/null.
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -f "%e %M %U %S" -o "$DATA/time.txt" $(cmd_for "$n") > "$DATA/out.txt" 2> /dev/null || true
      read -r t m u k < <(tail -n 1 "$DATA/time.txt")  # a non-zero exit adds a line before
      cpus[$n]="${cpus[$n]:-} $(awk -v u="$u" -v k="$k" 'BEGIN {print u + k}')"
    else
      # Without GNU time (Debian package "time"): wall clock only, RSS unknown.
      t0=$(date +%s%N); $(cmd_for "$n") > "$DATA/out.txt" 2> /dev/null || true; t1=$(date +%s%N)
      t=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) / 1e9}'); m=0
    fi
    times[$n]="${times[$n]:-} $t"
    rss[$n]=$((m > ${rss[$n]:-0} ? m : ${rss[$n]:-0}))
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : 0)}'; }
declare -A secs cpu
for n in "${names[@]}"; do
  secs[$n]=$(median ${times[$n]})
  cpu[$n]=$(median ${cpus[$n]:-})
done

echo
echo "$(nproc) 核，每项取 $RUNS 轮（每轮两份导出、各工具各跑一次）的中位数；系统负载（1/5/15 分钟）开始时 $load_start，结束时 $(cut -d' ' -f1-3 /proc/loadavg)"
for e in "${exports[@]}"; do
  size=$(stat -c %s "${csv[$e]}")
  g=${secs[$e:grep]}
  echo
  echo "**${title[$e]}**：${csv[$e]}，$ROWS 行，$(awk -v s="$size" 'BEGIN {printf "%.0f", s/1e6}') MB（UTF-8）"
  echo
  echo "| 命令 | 秒 | CPU 秒（用户+系统） | CPU/墙钟 | MB/s | 行/秒 | 峰值 RSS (MB) | 相对 grep -F |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for tool in utf8 gb18030 grep rg; do
    n=$e:$tool
    [ -n "${secs[$n]:-}" ] || continue
    label=$tool
    case $tool in utf8) label="regscreen scan -q（UTF-8）" ;; gb18030) label="regscreen scan -q（GB18030）" ;;
      grep) label="grep -c -F -f terms.txt" ;; rg) label="rg -c -F -f terms.txt" ;; esac
    awk -v n="$label" -v t="${secs[$n]}" -v c="${cpu[$n]}" -v m="${rss[$n]}" -v s="$size" -v r="$ROWS" -v g="$g" 'BEGIN {
      rel = (g > 0) ? sprintf("%.2f", t / g) : "-"
      mem = (m > 0) ? sprintf("%.0f", m / 1024) : "-"
      cs = (c > 0) ? sprintf("%.2f", c) : "-"
      cw = (c > 0 && t > 0) ? sprintf("%.2f", c / t) : "-"
      printf "| %s | %.2f | %s | %s | %.0f | %.0f | %s | %s |\n", n, t, cs, cw, s / 1e6 / t, r / t, mem, rel }'
  done
  echo
  if [ -n "${secs[$e:rg]:-}" ]; then
    awk -v a="${secs[$e:utf8]}" -v b="${secs[$e:rg]}" 'BEGIN {printf "regscreen / rg = %.2f；", a / b}'
  fi
  awk -v a="${secs[$e:gb18030]}" -v b="${secs[$e:utf8]}" 'BEGIN {printf "GB18030 / UTF-8 = %.2f\n", a / b}'
  echo
  echo "scan --db（存储）与同一文件的普通 scan，同一轮中的中位数；第二夜 = 第一夜的存储副本 + 1% 经营范围变动的同一名录"
  echo
  echo "| 命令 | 秒 | CPU 秒（用户+系统） | 峰值 RSS (MB) | 相对普通 scan（秒） | 相对普通 scan（CPU） |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for pair in "utf8:utf8" "db-night1:utf8" "night2:night2" "db-night2:night2"; do
    n=$e:${pair%%:*} base=$e:${pair#*:}
    case ${pair%%:*} in
      utf8) label="scan（第一夜文件）" ;;
      db-night1) label="scan --db，第一夜（新存储）" ;;
      night2) label="scan（第二夜文件）" ;;
      db-night2) label="scan --db，第二夜（1% 变动）" ;;
    esac
    awk -v n="$label" -v t="${secs[$n]}" -v c="${cpu[$n]}" -v m="${rss[$n]}" -v bt="${secs[$base]}" -v bc="${cpu[$base]}" 'BEGIN {
      mem = (m > 0) ? sprintf("%.0f", m / 1024) : "-"
      cs = (c > 0) ? sprintf("%.2f", c) : "-"
      rc = (c > 0 && bc > 0) ? sprintf("%.2f", c / bc) : "-"
      printf "| %s | %.2f | %s | %s | %.2f | %s |\n", n, t, cs, mem, t / bt, rc }'
  done
done
# XLSX input beside the CSV scan of the same rows: the workbook is the one
# regscreen writes for that CSV (scan --all -o), read back from its 全部记录
# sheet. Same rounds and medians as above; the ratio is from this run.
# XLSX_FULL=1 adds a full sheet (1,048,575 records; written once, ~2 min).
XROWS=${XROWS:-200000}
xlsx_case() { # name rows generator
  local xc=$DATA/$1.csv xx=$DATA/$1.xlsx
  if [ ! -s "$xc" ]; then go run "$SHARED/bench/$3/main.go" -n "$2" -seed 1 -o "$xc" >&2; fi
  if [ ! -s "$xx" ] || [ "$xx" -ot "$xc" ]; then echo "生成 $xx …" >&2; rm -f "$xx"; $BIN scan -q --all -o "$xx" "$xc" || [ $? -eq 1 ]; fi
  xnames+=("$1-csv" "$1-xlsx")
  xcmd["$1-csv"]="$BIN scan -q $xc"
  xcmd["$1-xlsx"]="$BIN scan -q --sheet 全部记录 $xx"
  xrows["$1"]=$2
  xorder+=("$1")
}
declare -A xcmd xrows xtimes xrss xcpus
xnames=()
xorder=()
xlsx_case "reg$XROWS" "$XROWS" gen
xlsx_case "real$XROWS" "$XROWS" real
[ "${XLSX_FULL:-}" = 1 ] && xlsx_case reg1048575 1048575 gen
for _ in $(seq "$RUNS"); do
  for n in "${xnames[@]}"; do
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -f "%e %M %U %S" -o "$DATA/time.txt" ${xcmd[$n]} > "$DATA/out.txt" 2> /dev/null || true
      read -r t m u k < <(tail -n 1 "$DATA/time.txt")
      xcpus[$n]="${xcpus[$n]:-} $(awk -v u="$u" -v k="$k" 'BEGIN {print u + k}')"
    else
      t0=$(date +%s%N); ${xcmd[$n]} > "$DATA/out.txt" 2> /dev/null || true; t1=$(date +%s%N)
      t=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) / 1e9}'); m=0
    fi
    xtimes[$n]="${xtimes[$n]:-} $t"
    xrss[$n]=$((m > ${xrss[$n]:-0} ? m : ${xrss[$n]:-0}))
  done
done
echo
echo "| XLSX 输入（regscreen 写出的工作簿，读 全部记录 表） | 行 | 秒 | CPU 秒 | 峰值 RSS (MB) | XLSX / CSV |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for c in "${xorder[@]}"; do
  for n in "$c-csv" "$c-xlsx"; do
    awk -v n="$n" -v r="${xrows[$c]}" -v t="$(median ${xtimes[$n]})" -v c="$(median ${xcpus[$n]:-})" -v m="${xrss[$n]}" \
      -v base="$(median ${xtimes[$c-csv]})" 'BEGIN {
      mem = (m > 0) ? sprintf("%.0f", m / 1024) : "-"
      cs = (c > 0) ? sprintf("%.2f", c) : "-"
      printf "| %s | %d | %.2f | %s | %s | %.2f |\n", n, r, t, cs, mem, (base > 0) ? t / base : 0 }'
  done
done

# check as a whole process, median of 50 runs, beside two floors: the same
# binary built to exit before main does anything (loading plus package
# initialisation), and startfloor, which links the same packages but
# none of our code, so the linker keeps only what their initialisation needs.
CGO_ENABLED=0 go build -tags ne -trimpath -ldflags '-s -w' -o "$DATA/startfloor" ./internal/cmd/startfloor
CGO_ENABLED=0 go build -tags ne -trimpath -ldflags '-s -w -X main.exitAtStart=1' -o "$DATA/regscreen-exit" ./cmd/regscreen
checks=("$BIN check 宁波某某五金有限公司" "$BIN check 宁波某某理财咨询有限公司" "$BIN check 宁波某某资金融通咨询有限公司"
  "$DATA/regscreen-exit" "$DATA/startfloor")
labels=("check，无命中" "check，有命中（词边界明确，不必分词）" "check，有命中且须分词（资金融通：加载 gse）"
  "下限：同一程序、main 开头即退出" "下限：只链接所用的库、立即退出")
echo
echo "| 进程 | 中位数 (ms) | 平均 ± σ (ms) |"
echo "| --- | ---: | ---: |"
if command -v hyperfine > /dev/null; then
  hyperfine -N -i --warmup 5 -r 50 --export-csv "$DATA/check.csv" "${checks[@]}" > /dev/null 2>&1
  # hyperfine's CSV: command,mean,stddev,median,… in seconds.
  i=0
  while IFS=, read -r _ mean sd med _; do
    awk -v l="${labels[$i]}" -v md="$med" -v mn="$mean" -v s="$sd" 'BEGIN {printf "| %s | %.1f | %.1f ± %.1f |\n", l, md * 1000, mn * 1000, s * 1000}'
    i=$((i + 1))
  done < <(tail -n +2 "$DATA/check.csv")
else
  # Without hyperfine: the shell's own clock around each run, which adds
  # a few milliseconds of its own (fork, exec, date): compare rows, not to targets.
  for i in "${!checks[@]}"; do
    for _ in $(seq 50); do
      t0=$(date +%s%N); ${checks[$i]} > /dev/null 2>&1 || true; t1=$(date +%s%N)
      echo $(((t1 - t0) / 1000))
    done | sort -n | awk -v l="${labels[$i]}" '{a[NR] = $1; s += $1; q += $1 * $1}
      END {m = s / NR; printf "| %s | %.1f | %.1f ± %.1f |\n", l, a[int((NR + 1) / 2)] / 1000, m / 1000, sqrt(q / NR - m * m) / 1000}'
  done
fi
echo
go test -tags ne -run XXX -bench . -benchmem ./screen/ ./cmd/regscreen/ | grep -E '^Benchmark'

#!/usr/bin/env bash
# Interleaved timings for before/after comparisons on a shared machine:
#   bash scripts/interleave.sh ROUNDS "name=command args…" …
# runs every command once per round, in order, so that the machine's noise
# falls on all alike, and prints each one's medians: wall seconds, CPU
# seconds (user+system), CPU/wall and peak RSS (GNU time), with the walls
# of every round. Output goes to a file: GNU grep stops at the first match
# when its output is /dev/null. Example (issue 26):
#   bash scripts/interleave.sh 3 "old=/tmp/regscreen-old scan -q bench/data/real1m.csv" \
#     "new=bin/regscreen scan -q bench/data/real1m.csv" "grep=grep -c -F -f bench/data/terms.txt bench/data/real1m.csv"
set -euo pipefail
[ -x /usr/bin/time ] || { echo "需要 GNU time（apt-get install time）" >&2; exit 2; }
rounds=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A walls cpus rss
for _ in $(seq "$rounds"); do
  for spec in "$@"; do
    name=${spec%%=*} cmd=${spec#*=}
    /usr/bin/time -f "%e %M %U %S" -o "$tmp/time" $cmd > "$tmp/out" 2> /dev/null || true
    read -r t m u k < <(tail -n 1 "$tmp/time") # a non-zero exit adds a line before
    walls[$name]="${walls[$name]:-} $t"
    cpus[$name]="${cpus[$name]:-} $(awk -v u="$u" -v k="$k" 'BEGIN {print u + k}')"
    rss[$name]="${rss[$name]:-} $m"
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
echo "负载（1/5/15 分钟）：$(cut -d' ' -f1-3 /proc/loadavg)"
for spec in "$@"; do
  name=${spec%%=*}
  t=$(median ${walls[$name]}) c=$(median ${cpus[$name]}) m=$(median ${rss[$name]})
  awk -v n="$name" -v t="$t" -v c="$c" -v m="$m" -v w="${walls[$name]}" 'BEGIN {
    printf "%-16s 墙钟 %6.2f 秒  CPU %6.2f 秒  CPU/墙钟 %4.2f  RSS %4d MB  各轮:%s\n", n, t, c, (t > 0 ? c / t : 0), m / 1024, w }'
done

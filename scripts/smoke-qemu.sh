#!/usr/bin/env bash
# make smoke-arm64 / make smoke-qemu: runs the linux/arm64 (and loong64)
# release binaries under qemu-user and checks they behave like the native
# one: --version, check, a scan of fixtures/sample.csv (CSV and JSONL) and a
# store across two runs — modernc.org/sqlite is generated code per
# architecture, so the store is the part most worth running on each.
#
#	bash scripts/smoke-qemu.sh [linux/arm64] [linux/loong64]
#
# Needs Debian's qemu-user-static (installed with apt-get when missing).
# Static binaries run directly under qemu-ARCH-static; no binfmt needed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(linux/arm64 linux/loong64)

if ! command -v qemu-aarch64-static > /dev/null; then
	echo "== installing qemu-user-static (apt-get)" >&2
	sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends qemu-user-static >&2
fi

make --no-print-directory build > /dev/null
make --no-print-directory cross DIST_TARGETS="${targets[*]}" > /dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
pass=0
for t in "${targets[@]}"; do
	arch=${t#*/}
	qarch=$arch
	case $arch in arm64) qarch=aarch64 ;; loong64) qarch=loongarch64 ;; esac
	qemu=$(command -v "qemu-$qarch-static" || true)
	if [ -z "$qemu" ]; then
		echo "skip $t: no qemu-$qarch-static in this qemu" >&2
		continue
	fi
	bin=$root/bin/linux-$arch/regscreen
	mkdir -p "$work/native-$arch" "$work/$arch"
	# both NAME ARGS…: stdout and exit status must match the native binary's.
	both() {
		local name=$1 rn rq
		shift
		set +e
		(cd "$work/native-$arch" && "$root/bin/regscreen" "$@" > "$name.out" 2> /dev/null)
		rn=$?
		(cd "$work/$arch" && "$qemu" "$bin" "$@" > "$name.out" 2> "$name.err")
		rq=$?
		set -e
		if [ "$rn" = "$rq" ] && cmp -s "$work/native-$arch/$name.out" "$work/$arch/$name.out"; then
			echo "ok   $t $name (exit $rq, $(wc -c < "$work/$arch/$name.out") bytes identical)" >&2
			pass=$((pass + 1))
		else
			echo "FAIL $t $name: exit native $rn, $t $rq" >&2
			head -3 "$work/$arch/$name.err" >&2
			diff "$work/native-$arch/$name.out" "$work/$arch/$name.out" | head -5 >&2 || true
			fail=$((fail + 1))
		fi
	}
	both version --version
	both check check "宁波某某理財咨询有限公司"
	both scan scan "$root/fixtures/sample.csv"
	both scan-jsonl scan --all --format jsonl "$root/fixtures/sample.csv"
	both db-run1 scan -q --db store.db "$root/fixtures/evolving/night1.csv"
	both db-run2 scan -q --db store.db "$root/fixtures/evolving/night2.csv"
	both db-changes changes --db store.db --format jsonl
done
echo "smoke-qemu: $pass passed, $fail failed ($(qemu-aarch64-static --version | head -1))" >&2
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]

#!/usr/bin/env bash
# Renders the demo workbooks the way a clerk prints them: LibreOffice turns
# each workbook into a PDF (its print settings: paper, orientation, fit,
# print titles), pdftoppm turns a few pages into small PNGs for docs/.
# Page counts go to stdout so a layout change shows in numbers too.
#
#   scripts/screenshots.sh            # uses bin/regscreen (make build)
#   BIN=/path/to/regscreen OUT=/tmp/x scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin/regscreen}
OUT=${OUT:-out/screenshots}
DOCS=${DOCS:-docs}
RES=${RES:-60}

need=()
command -v soffice > /dev/null || need+=(libreoffice-calc-nogui)
command -v pdftoppm > /dev/null || need+=(poppler-utils)
fc-list 2> /dev/null | grep -qi 'wqy\|noto sans cjk' || need+=(fonts-wqy-zenhei)
# Calibri's metrics, which the column widths count in (see print-check.sh).
fc-list 2> /dev/null | grep -qi 'carlito\|calibri' || need+=(fonts-crosextra-carlito)
if ((${#need[@]})); then
	echo "安装：${need[*]}" >&2
	SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" > /dev/null
fi

# The office's name on the printed lists and returns, as a district sets it.
export REGSCREEN_DISTRICT=${REGSCREEN_DISTRICT:-江北区市场监督管理局}
rm -rf "$OUT" && mkdir -p "$OUT"
# scan exits 1 when it refers companies: that is the demo, not a failure.
scan() { "$BIN" scan -q "$@" || [ $? -eq 1 ]; }

scan --all -o "$OUT/会商名单.xlsx" fixtures/sample.csv

# A store with three nights of the evolving register, the office's
# decisions on the first night imported in between: the next nights'
# workbooks carry them, and the company ruled 排除 moves to 会商排除.
db="$OUT/demo.db"
scan --db "$db" -o "$OUT/night1.xlsx" fixtures/evolving/night1.csv
go run -tags ne ./scripts/democlerk "$OUT/night1.xlsx"
"$BIN" db import-status --db "$db" "$OUT/night1.xlsx" 2> /dev/null
for n in 2 3; do scan --db "$db" -o "$OUT/night$n.xlsx" "fixtures/evolving/night$n.csv"; done
"$BIN" changes --db "$db" -o "$OUT/变动.xlsx" 2> /dev/null
"$BIN" report monthly --db "$db" --month "$(date +%Y-%m)" -o "$OUT/月报.xlsx" 2> /dev/null

# LibreOffice needs a writable profile; a private one keeps runs apart.
profile="$(realpath "$OUT")/lo-profile"
for book in 会商名单 night2 变动 月报; do
	soffice -env:UserInstallation="file://$profile" --headless \
		--convert-to pdf --outdir "$OUT" "$OUT/$book.xlsx" > /dev/null 2>&1
	pages=$(pdfinfo "$OUT/$book.pdf" | awk '/^Pages:/ {print $2}')
	a4=$(pdfinfo -f 1 -l "$pages" "$OUT/$book.pdf" | grep -c 'size:.*(A4)' || true)
	echo "$book.xlsx: $pages 页，其中 A4 $a4 页"
done

# A handful of pages at screen resolution: the referred list, the summary,
# the run's facts, the next night's lists with the decisions carried
# forward, and the two tables.
png() { # book page name
	pdftoppm -png -r "$RES" -f "$2" -l "$2" -singlefile "$OUT/$1.pdf" "$DOCS/$3"
}
page_of() { # book sheet: the first page of a sheet, by its footer text
	local n
	n=$(pdfinfo "$OUT/$1.pdf" | awk '/^Pages:/ {print $2}')
	for ((p = 1; p <= n; p++)); do
		# Not a pipe into grep -q: with pipefail its early exit fails the test.
		if grep -qx "$2" <<< "$(pdftotext -f "$p" -l "$p" "$OUT/$1.pdf" -)"; then
			echo "$p"
			return
		fi
	done
	echo 1
}
mkdir -p "$DOCS"
png 会商名单 "$(page_of 会商名单 送会商)" workbook-refer
png 会商名单 "$(page_of 会商名单 汇总)" workbook-summary
png 会商名单 "$(page_of 会商名单 运行信息)" workbook-runinfo
png night2 1 workbook-carried
png night2 "$(page_of night2 会商排除)" workbook-excluded
png 变动 1 changes
png 月报 1 monthly
ls -l "$DOCS"/*.png | awk '{print $5, $9}'

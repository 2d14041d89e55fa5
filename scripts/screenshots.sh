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
if ((${#need[@]})); then
	echo "安装：${need[*]}" >&2
	SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" > /dev/null
fi

rm -rf "$OUT" && mkdir -p "$OUT"
# scan exits 1 when it refers companies: that is the demo, not a failure.
scan() { "$BIN" scan -q "$@" || [ $? -eq 1 ]; }

scan --all -o "$OUT/会商名单.xlsx" fixtures/sample.csv

# A store with three nights of the evolving register: the changes of the
# last night and this month's return.
db="$OUT/demo.db"
for n in 1 2 3; do scan --db "$db" -o "$OUT/night$n.xlsx" "fixtures/evolving/night$n.csv"; done
"$BIN" changes --db "$db" -o "$OUT/变动.xlsx"
"$BIN" report monthly --db "$db" --month "$(date +%Y-%m)" -o "$OUT/月报.xlsx"

# LibreOffice needs a writable profile; a private one keeps runs apart.
profile="$OUT/lo-profile"
for book in "$OUT"/会商名单.xlsx "$OUT"/night3.xlsx "$OUT"/变动.xlsx "$OUT"/月报.xlsx; do
	soffice -env:UserInstallation=file://"$(realpath "$profile")" --headless \
		--convert-to pdf --outdir "$OUT" "$book" > /dev/null 2>&1
	pdf="${book%.xlsx}.pdf"
	echo "$(basename "$book"): $(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}') 页"
done

# A handful of pages: the referred list, the summary, the run's facts, the
# second night's sheets with decisions carried forward, the two tables.
png() { # pdf page name
	pdftoppm -png -r "$RES" -f "$2" -l "$2" -singlefile "$1" "$DOCS/$3"
}

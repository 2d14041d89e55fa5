#!/usr/bin/env bash
# Prints the workbooks as the finance office does and checks the paper:
# LibreOffice renders 会商名单 (with a 2,000-character scope), 变动 and 月报
# to PDF, and scripts/print-check.py asserts from pdftotext -bbox that the
# body text is at least 10 pt, that every hit word of the long scope is on
# a page, and that the title line and the page numbers are there. It also
# reads every workbook the tool writes (会商名单, split, 变动, 月报) with
# openpyxl's read-only mode, which trusts <dimension>, and compares what it
# sees with a full read. Installs what it needs with apt-get.
#
#   scripts/print-check.sh              # builds bin/regscreen first (make print-check)
#   BIN=/path/to/regscreen OUT=/tmp/x scripts/print-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin/regscreen}
OUT=${OUT:-out/print-check}

need=()
command -v soffice > /dev/null || need+=(libreoffice-calc-nogui)
command -v pdftotext > /dev/null || need+=(poppler-utils)
fc-list 2> /dev/null | grep -qi 'wqy\|noto sans cjk' || need+=(fonts-wqy-zenhei)
# Calibri's metrics: the column widths count in its digit; a wider stand-in
# pushes the printed columns off the page.
fc-list 2> /dev/null | grep -qi 'carlito\|calibri' || need+=(fonts-crosextra-carlito)
/usr/bin/python3 -c 'import openpyxl' 2> /dev/null || need+=(python3-openpyxl)
if ((${#need[@]})); then
	echo "安装：${need[*]}" >&2
	SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" > /dev/null
fi

rm -rf "$OUT" && mkdir -p "$OUT"
scan() { "$BIN" scan -q "$@" || [ $? -eq 1 ]; }

# The sample, and a company whose scope runs to 2,000 characters with hits
# at its start, middle and end: the row cannot print whole.
long="$OUT/long.csv"
{
	head -4 fixtures/sample.csv
	filler=$(printf '五金交电、建材、日用品批发、零售；%.0s' $(seq 1 60))
	scope="理财咨询；${filler:0:900}网络借贷信息中介；${filler:0:900}第三方支付服务。"
	echo "91330205MA2CK7XK0A,宁波江北长范围贸易有限公司,有限责任公司,王五,100,2021-03-01,宁波市江北区市场监督管理局,浙江省宁波市江北区白沙街道人民路1号,$scope"
} > "$long"
REGSCREEN_DISTRICT=江北区市场监督管理局 scan -o "$OUT/会商名单.xlsx" "$long"
scan --split-by street -o "$OUT/分街道" fixtures/sample.csv
db="$OUT/check.db"
for n in 1 2 3; do scan --db "$db" "fixtures/evolving/night$n.csv" > /dev/null; done
REGSCREEN_DISTRICT=江北区市场监督管理局 "$BIN" changes --db "$db" -o "$OUT/变动.xlsx" 2> /dev/null
REGSCREEN_DISTRICT=江北区市场监督管理局 "$BIN" report monthly --db "$db" --month "$(date +%Y-%m)" -o "$OUT/月报.xlsx" 2> /dev/null

profile="$(realpath "$OUT")/lo-profile"
for book in 会商名单 变动 月报; do
	soffice -env:UserInstallation="file://$profile" --headless \
		--convert-to pdf --outdir "$OUT" "$OUT/$book.xlsx" > /dev/null 2>&1
	pdftotext -bbox "$OUT/$book.pdf" "$OUT/$book.html"
done
/usr/bin/python3 scripts/print-check.py "$OUT" "$long"

#!/usr/bin/env bash
# Writes the spreadsheet exports that regscreen reads or refuses by format
# into fixtures/exports/, and LibreOffice's own CSV of each .xls sheet into
# fixtures/exports/libreoffice/ — the expected records that
# input/xls_test.go holds the .xls reader to (the test reads the committed
# CSVs; it needs no LibreOffice).
#
#   sample.xls            Excel 97–2003 (BIFF8) saved by LibreOffice from
#                         mkxls's sample.xlsx: a notes sheet, then the
#                         records under a title row, dates as 2010年9月7日
#   codes-as-numbers.xls  BIFF8: registration numbers and a credit code
#                         stored as numbers, dates in the short date format
#   excel95.xls           Excel 5.0/95 (BIFF5, GBK text, code page 936),
#                         written by mkxls itself: LibreOffice reads BIFF5
#                         but no longer writes it
#   sample.ods            the same workbook as OpenDocument (refused with
#                         how to save it as .xlsx or CSV)
#   sample.et             sample.xls under WPS's .et extension: WPS does not
#                         run here, and regscreen refuses .et by its name
#                         whatever the content
#   ../damage/xls-*       damaged .xls cases with their .want (mkxls -damage)
#   ../damage/xlsx-libreoffice-mangled-codes.xlsx
#                         mangled-codes.csv saved as .xlsx by LibreOffice:
#                         all-digit credit codes turned into numbers
#
#   scripts/xls-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v soffice > /dev/null; then
	echo "安装：libreoffice-calc-nogui" >&2
	SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui > /dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A profile of its own: another soffice running does not block this one.
lo() { soffice -env:UserInstallation="file://$tmp/profile" --headless "$@" > /dev/null 2>&1; }

go run ./internal/cmd/mkxls "$tmp"
lo --convert-to xls --outdir "$tmp/out" "$tmp/sample.xlsx" "$tmp/codes.xlsx"
lo --convert-to ods --outdir "$tmp/out" "$tmp/sample.xlsx"
ex=fixtures/exports
cp "$tmp/out/sample.xls" "$ex/sample.xls"
cp "$tmp/out/codes.xls" "$ex/codes-as-numbers.xls"
cp "$tmp/excel95.xls" "$ex/excel95.xls"
cp "$tmp/out/sample.ods" "$ex/sample.ods"
cp "$tmp/out/sample.xls" "$ex/sample.et"
go run ./internal/cmd/mkxls -damage fixtures/damage

# A CSV export opened in LibreOffice and saved as .xlsx: its all-digit
# credit codes become numbers (9.13302051234568E+017), the last digits
# gone, and two companies share one (issue 21's mangled codes).
lo --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$tmp/out" "$ex/mangled-codes.csv"
cp "$tmp/out/mangled-codes.xlsx" fixtures/damage/xlsx-libreoffice-mangled-codes.xlsx

# Every sheet of every .xls as LibreOffice shows it: UTF-8, comma, cells
# as shown (the last filter option: all sheets, one file each).
rm -rf "$ex/libreoffice" && mkdir -p "$ex/libreoffice"
lo --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' \
	--outdir "$ex/libreoffice" "$ex"/*.xls
ls "$ex/libreoffice"

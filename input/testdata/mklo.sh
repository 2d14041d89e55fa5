#!/bin/sh
# Makes the LibreOffice-saved fixtures lo-*.xlsx once; the tests only read
# the results (apt-get install libreoffice-calc-nogui to run this).
set -e
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp ../../fixtures/sample.csv "$tmp/lo-sample.csv"
cp lo-book.fods "$tmp/lo-book.fods"
# CSV import: comma, double quote, UTF-8, from line 1, detect dates and numbers
soffice --headless -env:UserInstallation=file://$tmp/profile --convert-to xlsx \
  --infilter="CSV:44,34,76,1,,0,false,true,true" --outdir . "$tmp/lo-sample.csv"
soffice --headless -env:UserInstallation=file://$tmp/profile --convert-to xlsx --outdir . "$tmp/lo-book.fods"

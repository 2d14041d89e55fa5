#!/usr/bin/env bash
# make test-browser: the pages driven in Debian's chromium (chromedp).
# Installs chromium when it is missing; UPDATE_SCREENSHOTS=1 rewrites
# docs/serve-*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium > /dev/null 2>&1; then
  echo "安装 chromium（apt-get）…" >&2
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo # as print-check.sh: a newcomer is seldom root
  $SUDO apt-get update -q > /dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium > /dev/null
fi
go test -tags 'ne browser' -count=1 -run Browser ./web/

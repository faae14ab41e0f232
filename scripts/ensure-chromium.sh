#!/bin/sh
# Browser tests drive Debian's chromium; install it when missing and we are allowed to.
set -e
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "chromium is missing: install Debian's 'chromium' package (sudo apt-get install chromium)" >&2
echo "or set VEILLE_CHROMIUM to a chromium binary; browser tests will fail without it." >&2

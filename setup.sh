#!/usr/bin/env bash
# Installs what `notes` needs beyond Swift itself: the cmark-gfm C library, libcrypto (OpenSSL, for
# SHA-256), libseccomp (with which notes-launch filters a snippet's system calls) and pkg-config; gdb,
# with which notes shows where the threads of a hung (`expect=timeout`) snippet wait; the cmark-gfm
# command, whose HTML the tests compare notes' with; and python3, whose http.server the tests compare
# notes' reading of request heads with.
# With --ci also what CI's extra checks use: Chromium and its WebDriver for Tests/Browser (selenium
# comes from pip), and wrk for Tests/Server/load.sh.
# Safe to run again: it installs only what is missing, and runs apt-get update at most once.
set -euo pipefail
packages=(libcmark-gfm-dev libcmark-gfm-extensions-dev libssl-dev libseccomp-dev pkg-config gdb cmark-gfm python3)
[ "${1:-}" = "--ci" ] && packages+=(chromium chromium-driver wrk)
need=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi

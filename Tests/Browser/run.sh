#!/usr/bin/env bash
# Browser tests: builds `notes` and the course, then checks the site in headless Chromium, opened from
# disk and through `notes serve`. Needs chromium, chromium-driver and selenium (pip install selenium).
#   Tests/Browser/run.sh [SCREENSHOT_FOLDER]      (default: .browser-screenshots/, git-ignored)
# Extra arguments after the folder go to unittest, e.g. `run.sh shots FromDisk.test_screenshots`.
set -euo pipefail
cd "$(dirname "$0")/../.."
shots="${1:-.browser-screenshots}"
shift || true

swift build --product notes
bin="$(swift build --show-bin-path)/notes"
site="$(mktemp -d "${TMPDIR:-/tmp}/notes-browser-site.XXXXXX")"
trap 'rm -rf "$site"' EXIT
# The snippet cache is the one `notes verify` and `notes build` use here, so a verified course builds fast.
"$bin" build --content Content --output "$site"

export NOTES_BIN="$bin" NOTES_CONTENT=Content NOTES_SITE="$site" NOTES_SCREENSHOTS="$shots" SE_OFFLINE=true
python3 Tests/Browser/test_site.py "$@"
echo "screenshots: $shots/"

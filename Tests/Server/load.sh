#!/usr/bin/env bash
# Load on the preview server: `notes serve` on a small course, live-reload WebSockets held open the whole time,
# then two rounds of wrk on loopback. Fails on any socket error or non-2xx answer, on fewer than 10,000
# requests per round, when the server's memory grows by more than 20 MB from one round to the next, or
# when the server drops a live-reload connection whose page answers its pings.
#   Tests/Server/load.sh [SECONDS_PER_ROUND]      (default 10; needs wrk: ./setup.sh --ci)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
swift build --product notes >/dev/null
bin="$(swift build --show-bin-path)/notes"
work="$(mktemp -d "${TMPDIR:-/tmp}/notes-load.XXXXXX")"
server=""
pages=""
cleanup() {
  [ -n "$pages" ] && kill "$pages" 2>/dev/null || true
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/Content"
printf -- '---\ntitle: Home\n---\n# Home\n\nThe [first lesson](01-threads.md).\n' > "$work/Content/index.md"
for n in 01 02 03; do
  { printf -- '---\ntitle: Lesson %s\n---\n# Lesson %s\n\n' "$n" "$n"
    for i in $(seq 1 40); do printf 'Paragraph %s of prose, with `code` and *emphasis*.\n\n' "$i"; done
    printf '```swift\nlet greeting = "hello"\nprint(greeting)\n```\n'; } > "$work/Content/$n-threads.md"
done
"$bin" serve --port 0 --content "$work/Content" --output "$work/Site" --cache-dir "$work/cache" \
  > "$work/stdout" 2> "$work/stderr" &
server=$!
for _ in $(seq 1 300); do grep -q '^serving ' "$work/stdout" && break; sleep 0.1; done
url="$(sed -n 's/^serving //p' "$work/stdout")"
[ -n "$url" ] || { echo "load: notes serve did not start"; cat "$work/stderr"; exit 1; }

# Four open pages, each holding its live-reload WebSocket and answering pings.
python3 Tests/Server/reload_pages.py "$url" 4 > "$work/pages.txt" 2>&1 &
pages=$!

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$server/status"; }
round() {
  wrk -t2 -c32 -d"${seconds}s" --latency "${url}01-threads.html" > "$work/wrk.txt"
  requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
  errors=$(awk '/Socket errors/ { s = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i; print s }' "$work/wrk.txt")
  non2xx=$(awk '/Non-2xx/ { print $NF }' "$work/wrk.txt")
  rate=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt")
  p99=$(awk '/ 99% / { print $2 }' "$work/wrk.txt")
  echo "$1: ${requests} requests in ${seconds} s (${rate}/s, p99 ${p99}), socket errors ${errors:-0}, non-2xx ${non2xx:-0}, server RSS $(( $(rss) / 1024 )) MB"
  [ "${errors:-0}" -eq 0 ] && [ "${non2xx:-0}" -eq 0 ] && [ "$requests" -ge 10000 ]
}

status=0
wrk -t1 -c4 -d1s "${url}index.html" > /dev/null   # warm up
before=$(rss)
round "round 1" || status=1
middle=$(rss)
round "round 2" || status=1
after=$(rss)
growth=$(( (after - middle) / 1024 ))
echo "server RSS: ${before} KB before, ${middle} KB after round 1, ${after} KB after round 2 (growth ${growth} MB)"
kill -0 "$server" || { echo "load: the server died"; status=1; }
kill -0 "$pages" || { echo "load: $(cat "$work/pages.txt")"; status=1; }
kill "$pages" && wait "$pages" 2>/dev/null || true
pages=""
cat "$work/pages.txt"
[ "$growth" -le 20 ] || { echo "load: memory grew by ${growth} MB between rounds"; status=1; }
[ "$status" -eq 0 ] && echo "load: ok" || echo "load: FAILED"
exit "$status"

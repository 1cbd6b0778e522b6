#!/usr/bin/env bash
# Fuzzes the path from Markdown bytes to HTML (load, parse, extract, render; snippets are not compiled
# or run) with libFuzzer and AddressSanitizer for SECONDS (default 300). Exits non-zero on a crash,
# whose input is kept in Fuzz/crashes/; `swift run notes-fuzz FILE` replays it without the fuzzer.
# Needs: the cmark-gfm packages (./setup.sh). Seeds: Fuzz/seeds, the course, CommonMark's spec examples.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
scratch=.build-fuzz   # corpus, seeds, logs (git-ignored)
crashes=Fuzz/crashes
mkdir -p "$scratch/corpus" "$scratch/seeds/course" "$scratch/seeds/spec" "$crashes"

# Built in .build, not a folder of its own: the Fuzzing trait changes the flags of NotesCore and
# notes-fuzz only, so this recompiles two targets (seconds) instead of every dependency (minutes);
# the next plain `swift build` recompiles NotesCore once.
start=$(date +%s)
if ! swift build --traits Fuzzing --product notes-fuzz >"$scratch/build.log" 2>&1; then
  cat "$scratch/build.log" >&2
  echo "fuzz: build failed" >&2
  exit 1
fi
binary=.build/debug/notes-fuzz
echo "fuzz: built in $(( $(date +%s) - start )) s"

# The course's notes, and every example of the CommonMark spec (shipped in the sdist of the `commonmark`
# package on PyPI, fetched once); without pip the fuzzer starts from the other seeds.
find Content -name '*.md' -exec cp {} "$scratch/seeds/course/" \;
spec="$scratch/commonmark-0.9.1/spec.txt"
if [ ! -f "$spec" ]; then
  if python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$scratch" commonmark==0.9.1 >/dev/null 2>&1; then
    tar -xzf "$scratch/commonmark-0.9.1.tar.gz" -C "$scratch" commonmark-0.9.1/spec.txt
  else
    echo "fuzz: no CommonMark spec examples (pip download failed)" >&2
  fi
fi
if [ -f "$spec" ] && [ -z "$(ls -A "$scratch/seeds/spec")" ]; then
  # An example sits between a fence of 32 backticks + " example" and one of 32 backticks; its Markdown
  # ends at a lone "."; the spec writes tabs as "→".
  awk -v out="$scratch/seeds/spec" '
    BEGIN { fence = sprintf("%32s", ""); gsub(/ /, "`", fence) }
    $0 == fence " example" { n++; file = sprintf("%s/example-%03d.md", out, n); inside = 1; printf "" > file; next }
    inside && /^\.$/ { inside = 0; close(file); next }
    inside { gsub(/→/, "\t"); print > file }
  ' "$spec"
fi
echo "fuzz: seeds: $(ls Fuzz/seeds | wc -l) curated, $(ls "$scratch/seeds/course" | wc -l) from the course, $(ls "$scratch/seeds/spec" | wc -l) CommonMark examples"

before=$(ls "$crashes" | wc -l)
log="$scratch/last-run.log"
status=0
# The first folder collects new interesting inputs and grows across runs; the others are read only.
# Swift's own crash backtracer would trip ASan inside its handler; libFuzzer reports the crash instead.
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$binary" "$scratch/corpus" Fuzz/seeds "$scratch/seeds/course" "$scratch/seeds/spec" \
  -dict=Fuzz/markdown.dict -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1 || status=$?
grep -E '^(INFO: seed corpus|#[0-9]+[[:space:]]+(INITED|DONE))|^==[0-9]+==ERROR|Fatal error:|^(SUMMARY|artifact_prefix|Test unit written)|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|Done [0-9]+ runs' "$log" || true
found=$(( $(ls "$crashes" | wc -l) - before ))
echo "fuzz: $(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" || echo 'stopped early'); $found new crash input(s) in $crashes/ (full log: $log)"
if [ "$status" -ne 0 ]; then
  tail -40 "$log" >&2
  echo "fuzz: FAILED (libFuzzer exit $status); replay with: swift run notes-fuzz $crashes/<file>" >&2
  exit 1
fi

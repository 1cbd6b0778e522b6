#!/usr/bin/env bash
# An installed notes, away from its source: install into a temporary prefix, hide this checkout's
# build folder (the only other place its resources could come from), then start a course with
# `notes init`, add a timeline snippet (which compiles in a resource), and build and verify it from a
# folder outside the checkout.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/notes-install.XXXXXX")"
hidden="$repo/.build-hidden-by-install-test"
restore() {
  [ -d "$hidden" ] && mv "$hidden" "$repo/.build"
  rm -rf "$work"
}
trap restore EXIT
"$repo/install.sh" --debug "$work/prefix" > "$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
mv "$repo/.build" "$hidden"
cd "$work"
notes="$work/prefix/bin/notes"
"$notes" --version
"$notes" init course
cat > course/02-timeline.md <<'NOTE'
# Timeline

```swift run timeline
span("work") { print("done") }
```

```output
done
```
NOTE
"$notes" build --content course --output site
test -f site/index.html && test -f site/02-timeline.html && test -f site/timeline.swift
grep -q "<svg" site/02-timeline.html
"$notes" verify --content course
echo "Tests/Install: an installed notes built and verified a course with no notes source beside it"

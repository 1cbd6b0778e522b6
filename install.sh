#!/usr/bin/env bash
# Installs notes as a tool: builds it (release), then puts the binary, its launcher and resources (the site's
# theme, the sandbox and timeline sources) in PREFIX/lib/notes, and PREFIX/bin/notes on the PATH.
# An installed notes needs nothing of this folder: run it from any course folder.
#
#   ./install.sh [PREFIX]            # default ~/.local, so ~/.local/bin/notes
#   ./install.sh --debug [PREFIX]    # the debug build instead (quicker to build; what Tests/Install uses)
set -euo pipefail
cd "$(dirname "$0")"
configuration=release
if [ "${1:-}" = "--debug" ]; then configuration=debug; shift; fi
prefix="${1:-$HOME/.local}"
./setup.sh
swift build -c "$configuration" --product notes
swift build -c "$configuration" --product notes-launch
bin="$(swift build -c "$configuration" --show-bin-path)"
mkdir -p "$prefix/bin" "$prefix/lib/notes"
rm -rf "$prefix/lib/notes/notes" "$prefix/lib/notes/notes-launch" "$prefix/lib/notes/"*.resources
cp "$bin/notes" "$prefix/lib/notes/notes"
# Every snippet program starts through notes-launch, which notes looks for beside itself.
cp "$bin/notes-launch" "$prefix/lib/notes/notes-launch"
# SwiftPM's resource bundles are looked up beside the executable.
cp -R "$bin"/notes_*.resources "$prefix/lib/notes/"
ln -sf ../lib/notes/notes "$prefix/bin/notes"
echo "installed $("$prefix/bin/notes" --version) as $prefix/bin/notes"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "add $prefix/bin to your PATH";; esac

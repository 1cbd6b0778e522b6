#!/usr/bin/env python3
"""Render speed of two notes binaries side by side: the one the README's command builds (debug) and a
release build. Generates a course of display-only Swift pages (nothing compiles or runs, so the time
is parsing, highlighting and rendering), builds it with each binary in turn, alternating, and prints
the median milliseconds per page and the ratio. Timings are never asserted; this is not a test.

    python3 Benchmarks/render.py [--pages 300] [--runs 5] [--debug PATH] [--release PATH]
"""
import argparse, os, shutil, statistics, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PAGE = """# Page {n}

Prose about actors on page {n}, with `inline code` and a [link](#page-{n}).

```swift
actor Counter{n} {{
    private var value = 0
    func increment() -> Int {{ value += 1; return value }}
}}

func work{n}() async throws -> [Int] {{
    let counter = Counter{n}()
    return try await withThrowingTaskGroup(of: Int.self) {{ group in
        for index in 0..<{n} {{ group.addTask {{ await counter.increment() + index }} }}
        return try await group.reduce(into: []) {{ $0.append($1) }}
    }}
}}
```

| a | b |
| - | - |
| {n} | "text" |

```swift
import Synchronization
let lock = Mutex<[String: Int]>([:])
lock.withLock {{ $0["page {n}", default: 0] += {n} }}
print(lock.withLock {{ $0.count }})
```
"""


def build(notes, content, site):
    shutil.rmtree(site, ignore_errors=True)
    start = time.monotonic()
    subprocess.run([notes, "build", "--no-cache", "--content", content, "--output", site],
                   check=True, capture_output=True)
    return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--debug", default=os.path.join(ROOT, ".build/debug/notes"))
    parser.add_argument("--release", default=os.path.join(ROOT, ".build/release/notes"))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="notes-render-")
    try:
        content = os.path.join(work, "Content")
        os.makedirs(content)
        for n in range(1, args.pages + 1):
            with open(os.path.join(content, f"{n:04d}-page.md"), "w") as f:
                f.write(PAGE.format(n=n))
        times = {"debug": [], "release": []}
        for _ in range(args.runs):
            for name in times:
                times[name].append(build(getattr(args, name), content, os.path.join(work, "Site")))
        per_page = {name: statistics.median(values) / args.pages * 1000 for name, values in times.items()}
        print(f"{args.pages} display-only pages, median of {args.runs} alternating runs, {os.cpu_count()} cores")
        print("| binary | ms per page |")
        print("| --- | ---: |")
        for name, value in per_page.items():
            print(f"| {name} | {value:.2f} |")
        print(f"debug / release: {per_page['debug'] / per_page['release']:.2f}×")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

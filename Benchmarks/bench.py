#!/usr/bin/env python3
"""Benchmark for notes: generated courses, medians over several runs, ratios beside the alternatives.

Usage: python3 Benchmarks/bench.py [--pages 100,1000] [--runs 3] [--baseline-snippets 60]

Builds notes in release mode, generates a corpus per size (pages with 3 snippets each, tables,
links and code), and measures in one run, side by side:
  cold build, no-op rebuild, rebuild after one prose edit, rebuild after one snippet edit, peak memory;
  the same snippets through one `swiftc` per snippet (on a sample, scaled), and the pages through
  the cmark-gfm CLI. Prints a table of medians and ratios. Timings are never asserted anywhere.
"""
import argparse, os, resource, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PAGE = """---
title: Page {n}
order: {n}
desc: Generated page {n} for the benchmark.
---
# Page {n}

Some prose about concurrency on page {n}. See [the next page]({next}.md#page-{nextn}).

| threads | result |
| ------- | ------ |
| 1       | {n}    |
| 2       | {n2}   |

```swift run
let values = (0..<{n3}).map {{ $0 * 2 }}
print("page {n}: sum", values.reduce(0, +))
```

```output
page {n}: sum {sum}
```

More prose with `inline code` and *emphasis*.

```swift run
struct Point{n} {{ var x: Int; var y: Int }}
let p = Point{n}(x: {n}, y: 2)
print(p.x + p.y)
```

```output
{n2p}
```

```swift run
var names = ["b", "a", "c"]
names.sort()
print(names.joined(separator: ","), {n})
```

```output
a,b,c {n}
```
"""


def generate(folder, pages):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "notes.yaml"), "w") as f:
        f.write("title: Benchmark course\n")
    for n in range(1, pages + 1):
        nxt = n % pages + 1
        n3 = n % 50 + 3
        text = PAGE.format(n=n, next=f"p{nxt:04d}", nextn=nxt, n2=n * 2, n3=n3,
                           sum=sum(i * 2 for i in range(n3)), n2p=n + 2)
        with open(os.path.join(folder, f"p{n:04d}.md"), "w") as f:
            f.write(text)


def timed(cmd, cwd):
    """Seconds and peak RSS (MiB) of one child command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return elapsed, max(peak, before) / 1024


def peak_rss(cmd, cwd):
    """Peak RSS (MiB) of one command, read by GNU time if present."""
    if not shutil.which("/usr/bin/time"):
        return float("nan")
    proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    try:
        return int(proc.stderr.strip().splitlines()[-1]) / 1024
    except (ValueError, IndexError):
        return float("nan")


def median(values):
    return statistics.median(values)


def bench_size(notes, pages, runs, baseline_snippets, work):
    course = os.path.join(work, f"course{pages}")
    generate(os.path.join(course, "Content"), pages)
    build = [notes, "build", "--content", "Content", "--output", "Site", "--cache-dir", ".cache"]
    rows = {}

    cold = []
    for _ in range(runs):
        shutil.rmtree(os.path.join(course, ".cache"), ignore_errors=True)
        cold.append(timed(build, course)[0])
    rows["cold build"] = median(cold)
    rows["no-op rebuild"] = median([timed(build, course)[0] for _ in range(runs)])

    page = os.path.join(course, "Content", "p0001.md")
    original = open(page).read()
    prose, snippet = [], []
    for i in range(runs):
        with open(page, "w") as f:
            f.write(original.replace("Some prose", f"Edited prose {i}"))
        prose.append(timed(build, course)[0])
    for i in range(runs):
        with open(page, "w") as f:
            f.write(original.replace('names.sort()', f'names.sort() // edit {i}'))
        snippet.append(timed(build, course)[0])
    with open(page, "w") as f:
        f.write(original)
    rows["prose edit"] = median(prose)
    rows["snippet edit"] = median(snippet)
    shutil.rmtree(os.path.join(course, ".cache"), ignore_errors=True)
    rows["peak memory (MiB)"] = peak_rss(build, course)

    # One swiftc per snippet, on a sample, scaled to all snippets.
    sample_dir = os.path.join(work, f"swiftc{pages}")
    os.makedirs(sample_dir, exist_ok=True)
    per = []
    for i in range(baseline_snippets):
        src = os.path.join(sample_dir, f"s{i}.swift")
        with open(src, "w") as f:
            f.write(f'let values = (0..<{i + 3}).map {{ $0 * 2 }}\nprint(values.reduce(0, +))\n')
        start = time.perf_counter()
        subprocess.run(["swiftc", "-Onone", src, "-o", src + ".bin"], check=True, stderr=subprocess.DEVNULL)
        subprocess.run([src + ".bin"], check=True, stdout=subprocess.DEVNULL)
        per.append(time.perf_counter() - start)
    rows["swiftc per snippet (scaled)"] = statistics.mean(per) * pages * 3

    files = sorted(os.path.join(course, "Content", f) for f in os.listdir(os.path.join(course, "Content")) if f.endswith(".md"))
    cmark = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["cmark-gfm", "-e", "table", "-e", "autolink", "-e", "strikethrough"] + files,
                       check=True, stdout=subprocess.DEVNULL)
        cmark.append(time.perf_counter() - start)
    rows["cmark-gfm CLI, all pages"] = median(cmark)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", default="100,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-snippets", type=int, default=20)
    args = parser.parse_args()

    subprocess.run(["swift", "build", "-c", "release", "--product", "notes"], cwd=ROOT, check=True)
    bindir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    notes = os.path.join(bindir, "notes")
    with tempfile.TemporaryDirectory(prefix="notes-bench-") as work:
        for pages in [int(p) for p in args.pages.split(",")]:
            rows = bench_size(notes, pages, args.runs, args.baseline_snippets, work)
            snippets = pages * 3
            print(f"\n## {pages} pages, {snippets} snippets (median of {args.runs})\n")
            print("| measure | value | per page | ratio |")
            print("| --- | --- | --- | --- |")
            cold = rows["cold build"]
            for name, value in rows.items():
                if "memory" in name:
                    print(f"| {name} | {value:.0f} MiB | | |")
                    continue
                ratio = ""
                if name == "swiftc per snippet (scaled)":
                    ratio = f"notes cold build is {value / cold:.1f}x faster"
                elif name in ("no-op rebuild", "prose edit", "snippet edit"):
                    ratio = f"{value / cold * 100:.0f}% of cold"
                elif name.startswith("cmark"):
                    ratio = f"notes no-op rebuild is {rows['no-op rebuild'] / value:.1f}x the cmark floor"
                print(f"| {name} | {value:.2f} s | {value / pages * 1000:.2f} ms | {ratio} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmark for notes: generated courses, medians over several runs, ratios beside the alternatives.

Usage: python3 Benchmarks/bench.py [--pages 100,1000] [--runs 3] [--baseline-snippets 20]

Builds notes in release mode, generates a course per size (pages with 3 snippets each, tables,
links and code) and measures, in the same run and on the same machine:
  notes: cold build, no-op rebuild, render of every page with no previous site, rebuild after one
         prose edit, rebuild after one snippet edit, peak memory;
  beside it: one `swiftc` + one run per snippet (on a sample, scaled), the same on all cores (the exact
         floor: what notes does, with nothing of notes around it), one whole-module `swiftc -wmo`
         of all snippets + their runs across all cores (importing Foundation, as notes pages do, and
         without), and the `cmark-gfm` CLI on all pages.
Prints a Markdown table of medians with ratios and the targets. Timings are never asserted anywhere;
this is not part of the test suite. Needs `swiftc`, and `cmark-gfm` (`./setup.sh` installs it).
"""
import argparse, concurrent.futures, os, platform, re, shutil, statistics, subprocess, sys, tempfile, time

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

SNIPPET = re.compile(r"```swift run\n(.*?)```", re.S)


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


def snippets_of(content):
    """Every `swift run` snippet of the course, in page order."""
    found = []
    for name in sorted(os.listdir(content)):
        if name.endswith(".md"):
            found += SNIPPET.findall(open(os.path.join(content, name)).read())
    return found


class Run:
    """One child process: wall seconds, peak RSS of its process tree (MiB), and its stderr."""

    def __init__(self, cmd, cwd, stdout=subprocess.DEVNULL):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True)
        self.stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        self.seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        # Linux folds the peaks of reaped descendants (swiftc, snippets) into the child's ru_maxrss.
        self.tree_mib = usage.ru_maxrss / 1024
        if proc.returncode != 0:
            sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{self.stderr[-3000:]}")

    def phase(self, name):
        """Seconds of one phase from notes' timing summary (`parse 0.01 s, compile 2.31 s, ...`)."""
        found = re.findall(rf"\b{name} ([0-9.]+) s\b", self.stderr)
        return float(found[-1]) if found else 0.0

    def notes_mib(self):
        """Peak memory of the notes process itself, from its summary (`peak memory 85 MiB`)."""
        found = re.findall(r"peak memory ([0-9.]+) MiB", self.stderr)
        return float(found[-1]) if found else float("nan")


def median(values):
    return statistics.median(values)


def bench_notes(notes, course, runs):
    build = [notes, "build", "--content", "Content", "--output", "Site", "--cache-dir", ".cache"]
    cache = os.path.join(course, ".cache")
    out = {}

    cold = []
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(Run(build, course))
    out["cold"] = median(r.seconds for r in cold)
    out["cold compile"] = median(r.phase("compile") for r in cold)
    out["notes MiB"] = max(r.notes_mib() for r in cold)
    out["tree MiB"] = max(r.tree_mib for r in cold)

    noop = [Run(build, course) for _ in range(runs)]
    out["no-op"] = median(r.seconds for r in noop)
    out["notes MiB"] = max([out["notes MiB"]] + [r.notes_mib() for r in noop])

    # Every page rendered (and highlighted) again: results cached, but no previous site to take pages from.
    render = []
    for _ in range(runs):
        shutil.rmtree(os.path.join(course, "Site"), ignore_errors=True)
        render.append(Run(build, course).phase("render"))
    out["render"] = median(render)

    page = os.path.join(course, "Content", "p0001.md")
    original = open(page).read()
    prose, snippet = [], []
    for i in range(runs):
        with open(page, "w") as f:
            f.write(original.replace("Some prose", f"Edited prose {i}"))
        prose.append(Run(build, course).seconds)
    for i in range(runs):
        with open(page, "w") as f:
            f.write(original.replace("names.sort()", f"names.sort() // edit {i}"))
        snippet.append(Run(build, course).seconds)
    with open(page, "w") as f:
        f.write(original)
    out["prose edit"] = median(prose)
    out["snippet edit"] = median(snippet)
    return out


def bench_swiftc_per_snippet(snippets, sample, work):
    """One swiftc and one run per snippet, on an even sample; seconds for all snippets."""
    folder = os.path.join(work, "per-snippet")
    os.makedirs(folder, exist_ok=True)
    step = max(1, len(snippets) // sample)
    chosen = snippets[::step][:sample]
    start = time.perf_counter()
    for i, code in enumerate(chosen):
        src = os.path.join(folder, f"s{i}.swift")
        with open(src, "w") as f:
            f.write(code)
        subprocess.run(["swiftc", "-Onone", src, "-o", src + ".bin"], check=True, cwd=folder,
                       stderr=subprocess.DEVNULL)
        subprocess.run([src + ".bin"], check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) / len(chosen) * len(snippets)


def bench_exact_floor(snippets, sample, work, jobs):
    """What notes does with nothing of notes around it: each snippet its own `main.swift`, one `swiftc`
    and one run per snippet, `jobs` at a time; on an even sample, scaled to all snippets."""
    folder = os.path.join(work, "exact")
    shutil.rmtree(folder, ignore_errors=True)
    step = max(1, len(snippets) // sample)
    chosen = snippets[::step][:sample]

    def one(i):
        program = os.path.join(folder, str(i))
        os.makedirs(program)
        with open(os.path.join(program, "main.swift"), "w") as f:
            f.write(chosen[i])
        subprocess.run(["swiftc", "-swift-version", "6", "main.swift"], check=True, cwd=program, stderr=subprocess.DEVNULL)
        subprocess.run(["./main"], check=True, cwd=program, stdout=subprocess.DEVNULL)

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, range(len(chosen))))
    return (time.perf_counter() - start) / len(chosen) * len(snippets)


def bench_whole_module(snippets, work, jobs, foundation):
    """The floor notes aims at: one `swiftc -wmo` of every snippet as a function, then every run on all cores.
    `foundation`: each file imports Foundation, as every page notes compiles does (snippets may use it
    without importing it); loading Foundation costs a program about 6 ms more at start."""
    folder = os.path.join(work, "whole-module")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    files, cases = [], []
    per_file = 3
    for start in range(0, len(snippets), per_file):
        path = os.path.join(folder, f"page{start // per_file}.swift")
        with open(path, "w") as f:
            if foundation:
                f.write("import Foundation\n\n")
            for i in range(start, min(start + per_file, len(snippets))):
                f.write(f"func snippet{i}() {{\n{snippets[i]}}}\n\n")
                cases.append(f'case "{i}": return snippet{i}')
        files.append(path)
    main = os.path.join(folder, "main.swift")
    with open(main, "w") as f:
        # A function that picks the snippet, as notes generates it: thousands of calls in top-level
        # code make swiftc superlinear (3000 took over 7 minutes).
        f.write("func pick(_ id: String) -> () -> Void {\nswitch id {\n" + "\n".join(cases)
                + "\ndefault: fatalError()\n}\n}\npick(CommandLine.arguments[1])()\n")
    binary = os.path.join(folder, "examples")
    start = time.perf_counter()
    subprocess.run(["swiftc", "-Onone", "-wmo", "-module-name", "Examples"] + files + [main, "-o", binary],
                   check=True, cwd=folder, stderr=subprocess.DEVNULL)
    compiled = time.perf_counter()
    run = lambda i: subprocess.run([binary, str(i)], check=True, stdout=subprocess.DEVNULL)
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        list(pool.map(run, range(len(snippets))))
    return time.perf_counter() - start, compiled - start


def bench_cmark(content, runs):
    files = sorted(os.path.join(content, f) for f in os.listdir(content) if f.endswith(".md"))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["cmark-gfm", "-e", "table", "-e", "autolink", "-e", "strikethrough"] + files,
                       check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return median(times)


def table(pages, runs, notes, swiftc_each, exact, wmo, wmo_compile, bare, cmark):
    snippets = pages * 3
    ms = lambda s: f"{s * 1000 / pages:.2f} ms"
    rows = [
        ("notes cold build", notes["cold"], ms(notes["cold"]),
         f"compile phase {notes['cold compile']:.2f} s", ""),
        ("one swiftc + run per snippet (sampled, scaled)", swiftc_each, ms(swiftc_each),
         f"notes cold is {swiftc_each / notes['cold']:.1f}× faster", "≥ 8× faster"),
        ("each snippet its own main.swift: one swiftc + run per snippet on all cores (the exact floor)", exact, ms(exact),
         f"notes cold is {notes['cold'] / exact:.2f}× of it", ""),
        ("one swiftc -wmo of all snippets as functions + their runs (importing Foundation; not what a snippet means)",
         wmo, ms(wmo), f"notes cold is {notes['cold'] / wmo:.2f}× of it (its compile {wmo_compile:.2f} s)", "≤ 1.5×"),
        ("the same without Foundation", bare, ms(bare), f"notes cold is {notes['cold'] / bare:.2f}× of it", ""),
        ("notes no-op rebuild", notes["no-op"], ms(notes["no-op"]),
         f"{notes['no-op'] / notes['cold'] * 100:.1f}% of cold", "< 1 s at 1000 pages"),
        ("notes render, every page (no previous site)", notes["render"], ms(notes["render"]),
         f"{notes['render'] / cmark:.1f}× the cmark-gfm CLI", "≤ 2 ms/page"),
        ("cmark-gfm CLI, all pages in one process", cmark, ms(cmark), "parse + render floor", ""),
        ("notes after one prose edit", notes["prose edit"], ms(notes["prose edit"]),
         f"{notes['prose edit'] / notes['cold'] * 100:.1f}% of cold", "< 0.3 s"),
        ("notes after one snippet edit", notes["snippet edit"], ms(notes["snippet edit"]),
         f"{notes['snippet edit'] / notes['cold compile'] * 100:.0f}% of the cold compile phase", "< 30%"),
    ]
    print(f"\n### {pages} pages, {snippets} snippets (median of {runs})\n")
    print("| measure | time | per page | ratio | target |")
    print("| --- | ---: | ---: | --- | --- |")
    for name, seconds, per_page, ratio, target in rows:
        print(f"| {name} | {seconds:.2f} s | {per_page} | {ratio} | {target} |")
    print(f"| peak memory, notes process | {notes['notes MiB']:.0f} MiB | | "
          f"with swiftc and snippets: {notes['tree MiB']:.0f} MiB | < 300 MB at 1000 pages |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", default="100,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-snippets", type=int, default=20,
                        help="how many snippets the one-swiftc-per-snippet baseline times (it is scaled up)")
    parser.add_argument("--exact-snippets", type=int, default=300,
                        help="how many snippets the exact floor (one swiftc per snippet on all cores) times (scaled up)")
    parser.add_argument("--notes", help="a notes binary to use instead of building one")
    args = parser.parse_args()
    for tool in ("swiftc", "cmark-gfm"):
        if not shutil.which(tool):
            sys.exit(f"bench.py: `{tool}` not found on PATH (./setup.sh installs cmark-gfm)")

    notes = os.path.abspath(args.notes) if args.notes else None
    if not notes:
        subprocess.run(["swift", "build", "-c", "release", "--product", "notes"], cwd=ROOT, check=True)
        bindir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout.strip()
        notes = os.path.join(bindir, "notes")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
               platform.processor())
    print(f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {cpu}, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="notes-bench-") as work:
        for pages in [int(p) for p in args.pages.split(",")]:
            course = os.path.join(work, f"course{pages}")
            content = os.path.join(course, "Content")
            generate(content, pages)
            snippets = snippets_of(content)
            measured = bench_notes(notes, course, args.runs)
            swiftc_each = bench_swiftc_per_snippet(snippets, args.baseline_snippets, work)
            exact = bench_exact_floor(snippets, args.exact_snippets, work, os.cpu_count())
            wmo = [bench_whole_module(snippets, work, os.cpu_count(), True) for _ in range(args.runs)]
            bare = [bench_whole_module(snippets, work, os.cpu_count(), False)[0] for _ in range(args.runs)]
            cmark = bench_cmark(content, args.runs)
            table(pages, args.runs, measured, swiftc_each, exact, median(w[0] for w in wmo),
                  median(w[1] for w in wmo), median(bare), cmark)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""What each dependency adds to a first debug build: for every library notes uses (and the ones it
chose between), a one-line program that imports it is built from nothing (`swift build`, empty
scratch folder, packages fetched from the configured mirror), and the wall time is printed beside a
program with no dependency. The README's table comes from this; run it on a quiet machine.

    python3 Benchmarks/depcost.py [--only NAME ...]
"""
import argparse, os, shutil, subprocess, sys, tempfile, time

# name: (package lines, products as (product, package), import line)
PROBES = {
    "none": ([], [], ""),
    "swift-argument-parser": (['.package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")'],
                              [("ArgumentParser", "swift-argument-parser")], "import ArgumentParser"),
    "Yams": (['.package(url: "https://github.com/jpsim/Yams", from: "6.0.0")'], [("Yams", "Yams")], "import Yams"),
    "swift-syntax (SwiftParser, SwiftIDEUtils)": (
        ['.package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.0")'],
        [("SwiftParser", "swift-syntax"), ("SwiftIDEUtils", "swift-syntax")], "import SwiftIDEUtils"),
    "swift-crypto": (['.package(url: "https://github.com/apple/swift-crypto", from: "3.12.0")'],
                     [("Crypto", "swift-crypto")], "import Crypto"),
    "Hummingbird (+ swift-service-lifecycle)": (
        ['.package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1")',
         '.package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0")'],
        [("Hummingbird", "hummingbird"), ("ServiceLifecycle", "swift-service-lifecycle")], "import Hummingbird"),
    "FlyingFox": (['.package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.0")'],
                  [("FlyingFox", "FlyingFox")], "import FlyingFox"),
}


def manifest(packages, products):
    deps = ",\n        ".join(packages)
    prods = ", ".join(f'.product(name: "{p}", package: "{k}")' for p, k in products)
    return f"""// swift-tools-version: 6.1
import PackageDescription
let package = Package(
    name: "probe",
    dependencies: [
        {deps}
    ],
    targets: [.executableTarget(name: "probe", dependencies: [{prods}])]
)
"""


def build(name, root):
    packages, products, imp = PROBES[name]
    folder = os.path.join(root, "probe-" + name.split()[0].lower())
    os.makedirs(os.path.join(folder, "Sources", "probe"))
    with open(os.path.join(folder, "Package.swift"), "w") as f:
        f.write(manifest(packages, products))
    with open(os.path.join(folder, "Sources", "probe", "main.swift"), "w") as f:
        f.write(f"{imp}\nprint(\"probe\")\n")
    start = time.monotonic()
    done = subprocess.run(["swift", "build"], cwd=folder, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"depcost.py: {name} did not build:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", help="probe names (first word), e.g. swift-crypto FlyingFox")
    args = parser.parse_args()
    names = [n for n in PROBES if not args.only or n.split()[0] in args.only]
    root = tempfile.mkdtemp(prefix="notes-depcost-")
    try:
        cores = os.cpu_count()
        print(f"first debug build of a one-line program, {cores} cores, {time.strftime('%Y-%m-%d')}")
        print("| dependency | first build | over none |")
        print("| --- | --- | --- |")
        base = None
        for name in names:
            seconds = build(name, root)
            base = seconds if name == "none" else base
            extra = f"+{seconds - base:.0f} s" if base is not None and name != "none" else ""
            print(f"| {name} | {seconds:.0f} s | {extra} |", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

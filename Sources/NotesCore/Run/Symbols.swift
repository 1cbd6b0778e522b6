import Foundation

/// Names and Markdown lines for what a sanitizer or a debugger reports in machine terms, with the
/// toolchain's own tools: `swift-demangle` for Swift's mangled names, `llvm-symbolizer` for addresses.
struct Symbols: Sendable {
    var demangler: String?
    var symbolizer: String?

    init(compiler: SwiftCompiler) {
        demangler = compiler.toolchainTool("swift-demangle")
        symbolizer = compiler.toolchainTool("llvm-symbolizer")
    }

    /// Without a tool, names stay mangled and addresses have no line.
    init(demangler: String? = nil, symbolizer: String? = nil) {
        self.demangler = demangler
        self.symbolizer = symbolizer
    }

    /// Names come from logs a program could forge: a longer one is no real symbol and is left as it
    /// is, and the demangler gets at most this many bytes of names a run, well under the kernel's
    /// limits on arguments (128 KiB for one, about 2 MiB for all).
    static let maxName = 4096, maxArguments = 256 << 10

    /// Readable names, in order: `$s4main4bumpyyF` → `bump()`; C names lose glibc's underscores
    /// (`___pthread_mutex_lock` → `pthread_mutex_lock`). One demangler run for all of them.
    func demangle(_ names: [String]) -> [String] {
        let swift = Array(Set(names.filter { Self.isMangled($0) && $0.utf8.count <= Self.maxName })).sorted()
        var readable: [String: String] = [:]
        var batch: [String] = [], bytes = 0
        func demangleBatch() {
            defer { (batch, bytes) = ([], 0) }
            guard let demangler, !batch.isEmpty,
                  let outcome = try? Self.run(demangler, ["--simplified", "--compact"] + batch) else { return }
            let lines = outcome.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (name, line) in zip(batch, lines) where !line.isEmpty { readable[name] = Self.tidy(line) }
        }
        for name in swift {
            if bytes + name.utf8.count > Self.maxArguments { demangleBatch() }
            batch.append(name)
            bytes += name.utf8.count + 1
        }
        demangleBatch()
        return names.map { name in
            if let found = readable[name] { return found }
            if name == "main" { return Self.tidy(name) }
            if Self.isMangled(name) { return name }
            var name = name.hasPrefix("__GI_") ? String(name.dropFirst(5)) : name
            while name.hasPrefix("_") { name.removeFirst() }
            return name
        }
    }

    /// Where each address of `binary` (an offset from its load address) is in the source: the mangled
    /// function name and the file and line of the innermost frame, or nil when it has no line.
    func locate(binary: String, offsets: [UInt64]) -> [(function: String, file: String, line: Int)?] {
        guard let symbolizer, !offsets.isEmpty,
              let text = try? Self.run(symbolizer, ["--obj=\(binary)", "--no-inlines", "--no-demangle"]
                                        + offsets.map { "0x" + String($0, radix: 16) }) else {
            return offsets.map { _ in nil }
        }
        let blocks = text.components(separatedBy: "\n\n")
        return offsets.indices.map { index in
            guard index < blocks.count else { return nil }
            let lines = blocks[index].split(separator: "\n").map(String.init)
            guard lines.count >= 2 else { return nil }
            let parts = lines[1].split(separator: ":")
            guard parts.count >= 3, let line = Int(parts[parts.count - 2]), line > 0 else { return nil }
            return (lines[0], parts.dropLast(2).joined(separator: ":"), line)
        }
    }

    /// `/tmp/notes-build-x/program3/02-races.md` → `02-races.md` when it names `page`: line tables hold
    /// the compile folder joined with the `#sourceLocation` file.
    static func page(of file: String, pages: Set<String>) -> String? {
        pages.first { file == $0 || file.hasSuffix("/" + $0) }
    }

    private static func isMangled(_ name: String) -> Bool { name.hasPrefix("$s") || name.hasPrefix("_$s") }

    /// Top-level code is the function `main`, and the context of its closures is left blank (`closure #1 in `).
    private static func tidy(_ name: String) -> String {
        name == "main" ? "top-level code" : name.hasSuffix(" in ") ? name + "top-level code" : name
    }

    private static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let outcome = try ChildProcess.run(tool, arguments, environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"],
                                           workingDirectory: "/", timeout: 60, outputLimit: 8 << 20)
        return String(decoding: outcome.output, as: UTF8.self)
    }
}

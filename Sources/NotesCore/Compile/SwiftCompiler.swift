import Foundation

/// One `file:line:col: severity: message` line from swiftc, with the file as named in `#sourceLocation`.
public struct CompilerMessage: Sendable, Equatable, Codable {
    public var file: String
    public var line: Int
    public var column: Int
    public var severity: Diagnostic.Severity
    public var message: String

    public var text: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }

    static func parse(_ log: String) -> [CompilerMessage] {
        log.split(separator: "\n").compactMap { raw in
            let parts = raw.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
            guard parts.count == 5, let line = Int(parts[1]), let column = Int(parts[2]) else { return nil }
            guard let severity = Diagnostic.Severity(rawValue: parts[3].trimmingCharacters(in: .whitespaces)) else { return nil }
            return CompilerMessage(file: String(parts[0]), line: line, column: column, severity: severity,
                                   message: parts[4].trimmingCharacters(in: .whitespaces))
        }
    }
}

/// The result of one swiftc invocation.
public struct Compilation: Sendable {
    public var binary: String?
    public var messages: [CompilerMessage]
    public var log: String
    public var errors: [CompilerMessage] { messages.filter { $0.severity == .error } }
}

/// Runs swiftc on a `ProgramSource`: one invocation builds one program.
public struct SwiftCompiler: Sendable {
    public var executable: String
    public var extraFlags: [String]

    public init(executable: String? = nil, extraFlags: [String] = []) {
        self.executable = executable ?? ProcessInfo.processInfo.environment["NOTES_SWIFTC"] ?? Self.find("swiftc")
        self.extraFlags = extraFlags
    }

    /// What goes into cache keys: the compiler's own version line and our flags.
    public func version() -> String {
        // The driver makes a `TemporaryDirectory.*` folder in TMPDIR for `--version` and leaves it there,
        // so it gets a TMPDIR of ours that goes away afterwards.
        guard let scratch = try? TemporaryFolders.make("notes-swiftc") else { return executable }
        defer { TemporaryFolders.remove(scratch) }
        let environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": scratch.path]) { $1 }
        let outcome = try? ChildProcess.run(executable, ["--version"], environment: environment,
                                            workingDirectory: "/", timeout: 60, outputLimit: 1 << 16)
        return outcome.map { String(decoding: $0.output, as: UTF8.self) } ?? executable
    }

    /// `version()`, remembered in `directory` under a stamp of the compiler's files (the resolved swiftc and
    /// the swift-frontend beside it: path, inode, size, change times), as ccache does by default. Running
    /// `swiftc --version` took 0.1 s of a core in every build, a third of one in which nothing changed;
    /// installing or switching a toolchain changes the stamp.
    public func version(rememberedIn directory: URL) -> String {
        let stamp = fileStamp()
        let file = directory.appendingPathComponent("compiler-version")
        if let saved = try? String(contentsOf: file, encoding: .utf8), let newline = saved.firstIndex(of: "\n"),
           saved[..<newline] == stamp {
            return String(saved[saved.index(after: newline)...])
        }
        let version = version()
        if version.contains("version") {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? AtomicFile.write(Data((stamp + "\n" + version).utf8), to: file, durable: false)
        }
        return version
    }

    private func fileStamp() -> String {
        let driver = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        let frontend = driver.deletingLastPathComponent().appendingPathComponent("swift-frontend")
        return [driver, frontend].map { url in
            var info = stat()
            guard stat(url.path, &info) == 0 else { return "\(url.path) missing" }
            return "\(url.path) \(info.st_dev) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) "
                + "\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
        }.joined(separator: " ")
    }

    /// Everything but the files and the output; part of the cache key. The command a reader would type,
    /// `swiftc -swift-version N main.swift`, whose module is named `main`; the diagnostic style only
    /// formats messages one to a line.
    public func flags(swiftVersion: Int, instrumentation: Instrumentation = Instrumentation()) -> [String] {
        ["-swift-version", String(swiftVersion), "-module-name", "main", "-diagnostic-style", "llvm"]
            + instrumentation.flags + extraFlags
    }

    /// A tool of the same toolchain (`clang`, `swift-demangle`, `llvm-symbolizer`); nil when it has none.
    func toolchainTool(_ name: String) -> String? {
        let path = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent(name).path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// The toolchain's `usr` folder (the parent of swiftc's own, resolved); nil when swiftc is not found.
    var toolchainRoot: String? {
        let driver = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        guard FileManager.default.isExecutableFile(atPath: driver.path) else { return nil }
        return driver.deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// The C compiler of the same toolchain, for the sandbox object; the system's `cc` if it has none.
    var cCompiler: String { toolchainTool("clang") ?? Self.find("cc") }

    /// Compiles and links one program, with `objects` linked in, into a binary in `directory`.
    func compile(_ program: ProgramSource, in directory: URL, linking objects: [String]) throws -> Compilation {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for file in program.files {
            let url = directory.appendingPathComponent(file.name)
            try Data(file.text.utf8).write(to: url)
            paths.append(file.name)
        }
        // Named after the entry, so that `ps` shows which snippet a running program is.
        let binary = directory.appendingPathComponent(program.entry.id).path
        let run = try run(tool: executable, flags(swiftVersion: program.swiftVersion, instrumentation: program.instrumentation) + paths + objects + ["-o", binary],
                          in: directory)
        let ok = run.termination == .exited(0) && fm.isExecutableFile(atPath: binary)
        return Compilation(binary: ok ? binary : nil, messages: CompilerMessage.parse(run.log), log: run.log)
    }

    /// One compiler run in `directory`, which is also its TMPDIR: what the compiler leaves there goes with it.
    func run(tool: String, _ arguments: [String], in directory: URL) throws -> (termination: Termination, log: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = directory.path
        let outcome = try ChildProcess.run(tool, arguments, environment: environment,
                                           workingDirectory: directory.path, timeout: 1800, outputLimit: 16 << 20)
        return (outcome.termination, String(decoding: outcome.output, as: UTF8.self))
    }

    static func find(_ name: String) -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return "/usr/bin/\(name)"
    }
}

import Foundation

/// Results of entries that passed, stored under the hash of their `ProgramPlan`: everything that could
/// change them, from the snippets' code, fence words, pages and lines to the build of notes (`identity`).
/// Keyed by content, never by file dates. An entry that fails to decode, whose stored key differs or
/// whose digest does not match its content is treated as missing and rebuilt. The cache holds results
/// only: nothing in it is linked into or run as a program.
public struct ResultCache: Sendable {
    public var directory: URL
    /// What stands for notes' own code in every key: the build of notes (any change to how programs are
    /// generated, sandboxed or run is a new build) and the sources it puts into programs, which are resources.
    /// Nothing has to be bumped by hand when that code changes.
    public var identity: String

    public init(directory: URL, identity: String? = nil) {
        self.directory = directory
        self.identity = identity ?? ProgramIdentity.current + " " + ProgramResource.digest
    }

    struct Stored: Codable {
        var key: String
        var compilerMessages: [CompilerMessage]?
        /// A built program's warnings.
        var warnings: [CompilerMessage]?
        var runs: [[RunResult]]
        /// A hash of all of the above, so that an entry changed by hand or by a half-finished write is not
        /// taken for a result. It checks integrity, not origin: the cache is trusted like the notes are
        /// (snippets cannot write it), and whoever can write it can also recompute this.
        var digest: String?

        func computedDigest() -> String? {
            var unsealed = self
            unsealed.digest = nil
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return (try? encoder.encode(unsealed)).map { data in
                var hash = ContentHash()
                data.withUnsafeBytes { hash.add(bytes: $0) }
                return hash.hex
            }
        }
    }

    /// What a cache hit gives back: how the entry compiled and every run's result.
    public struct Hit: Sendable {
        public var outcome: BuildOutcome
        public var runs: [[RunResult]]
    }

    public func load(key: String) -> Hit? {
        guard let data = try? Data(contentsOf: file(for: key)),
              let stored = try? JSONDecoder().decode(Stored.self, from: data),
              stored.key == key, stored.digest != nil, stored.digest == stored.computedDigest() else { return nil }
        if let messages = stored.compilerMessages { return Hit(outcome: .failed(messages), runs: []) }
        return Hit(outcome: .built(binary: "", warnings: stored.warnings ?? []), runs: stored.runs)
    }

    public func store(key: String, outcome: BuildOutcome, runs: [[RunResult]]) {
        var stored = Stored(key: key, compilerMessages: nil, runs: runs)
        switch outcome {
        case .failed(let messages): stored.compilerMessages = messages
        case .built(_, let warnings): stored.warnings = warnings
        }
        stored.digest = stored.computedDigest()
        guard let data = try? JSONEncoder().encode(stored) else { return }
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? AtomicFile.write(data, to: file(for: key), durable: false)
    }

    private func file(for key: String) -> URL { directory.appendingPathComponent(key + ".json") }
}

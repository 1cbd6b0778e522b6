import Foundation

/// Everything that decides one program's result, decided once, before anything is compiled: its
/// snippets (code, fence words, page and lines), the page's setup, the language mode, the
/// instrumentation (whether ThreadSanitizer is on is settled here and nowhere else), the compiler's
/// version and flags, the limits and timeout of its runs, and the build of notes. The result cache's key
/// is the hash of this value encoded whole, as PageKey hashes what a page is rendered from, so a field
/// added here is in the key without anyone having to remember it.
public struct ProgramPlan: Sendable, Encodable {
    /// What of a snippet its result depends on. Not its recorded output, which is checked afresh.
    struct Part: Sendable, Encodable {
        var id: String
        var page: String
        var line: Int
        var code: String
        var words: [String]

        init(_ snippet: Snippet) {
            (id, page, line, code, words) = (snippet.id, snippet.page, snippet.line, snippet.code, snippet.options.words)
        }
    }

    /// The entry the plan is for; its parts below are what of it decides the result.
    let entry: RunEntry
    /// The page's setup blocks, which the program's `setup.swift` holds.
    let setupSnippets: [Snippet]
    let parts: [Part]
    let setup: [Part]
    let swiftVersion: Int
    let instrumentation: Instrumentation
    let flags: [String]
    let compilerVersion: String
    let limits: SandboxLimits
    let timeout: Double
    /// The build of notes and the sources it puts into programs (`ResultCache.identity`).
    let identity: String

    init(entry: RunEntry, setup: [Snippet], config: CourseConfig, tsan: Bool, compiler: SwiftCompiler,
         compilerVersion: String, identity: String) {
        self.entry = entry
        setupSnippets = setup
        parts = entry.snippets.map(Part.init)
        self.setup = setup.map(Part.init)
        swiftVersion = entry.swiftVersion(course: config.swiftVersion)
        instrumentation = entry.instrumentation(tsan: tsan)
        flags = compiler.flags(swiftVersion: swiftVersion, instrumentation: instrumentation)
        self.compilerVersion = compilerVersion
        limits = config.limits
        timeout = entry.timeout(default: config.timeout)
        self.identity = identity
    }

    enum CodingKeys: String, CodingKey {
        case parts, setup, swiftVersion, instrumentation, flags, compilerVersion, limits, timeout, identity
    }

    /// The hash of the whole plan, encoded with sorted keys; nil (not cached) if it cannot be encoded.
    var key: String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(self) else { return nil }
        var hash = ContentHash()
        data.withUnsafeBytes { hash.add(bytes: $0) }
        return hash.hex
    }

    /// The program's source files, as its reader would type them.
    func source(timelineSource: String) -> ProgramSource {
        ProgramSource(entry: entry, setup: setupSnippets, swiftVersion: swiftVersion, instrumentation: instrumentation,
                      timelineSource: timelineSource)
    }
}

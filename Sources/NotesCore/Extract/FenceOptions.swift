/// What the words after `swift` in a fence's info string ask for: the fence contract.
public struct FenceOptions: Sendable, Equatable, Hashable, Encodable {
    public enum Role: Sendable, Equatable, Hashable, Encodable { case run, setup, display }

    /// How a `run` snippet is meant to end. Anything else is a failure, including success
    /// where a failure was expected ("incorrectly succeeded"). `race`: it ends normally, and
    /// ThreadSanitizer reports at least one data race in it.
    public enum Expectation: Sendable, Equatable, Hashable, Encodable {
        case success, compileError, crash, failure(exit: Int32?), timeout, race
    }

    public var role: Role = .display
    public var id: String?
    public var timeout: Double?
    public var expectation: Expectation = .success
    public var unordered = false
    public var repeatCount = 1
    public var serial = false
    public var swift5 = false
    /// Draw the spans the program records with `span(_:_:)` (timeline.swift is compiled in).
    public var timeline = false
    public var session: String?

    public init() {}

    /// The words of the info string in their written order, for the cache key and for messages.
    public private(set) var words: [String] = []
    /// `exit=N` as written; `parse` folds it into `expectation`.
    var exitCode: Int32?

    /// Reads the words after the language word, each by its entry in `FenceWord.all`.
    /// `line` is where the fence is, for messages.
    public static func parse(_ info: FenceInfo, file: String, line: Int) throws -> FenceOptions {
        var options = FenceOptions()
        options.words = info.words
        var seen: [FenceWord] = []
        func fail(_ message: String) -> Diagnostic { Diagnostic(file: file, line: line, message) }

        for word in info.words {
            let (key, value) = split(word)
            guard let entry = FenceWord.named(key) else {
                let known = FenceWord.all.map { $0.placeholder == nil ? $0.name : $0.name + "=" }.joined(separator: ", ")
                throw fail("unknown word '\(word)' after swift (known: \(known))")
            }
            guard !seen.contains(where: { $0.name == key }) else { throw fail("'\(key)' is given twice in the fence") }
            if entry.placeholder != nil, value == nil { throw fail("'\(key)' needs a value: \(key)=…") }
            if entry.placeholder == nil, value != nil { throw fail("'\(key)' takes no value") }
            try entry.apply(&options, value ?? "", fail)
            seen.append(entry)
        }
        if seen.contains(where: { $0.name == "run" }), seen.contains(where: { $0.name == "setup" }) {
            throw fail("a snippet is either `run` or `setup`, not both")
        }
        try options.checkScopes(seen, fail: fail)
        try options.checkCombinations(fail: fail)
        return options
    }

    /// Words that need a `run` (or a `run` or `setup`) snippet, in the order they were written.
    private func checkScopes(_ seen: [FenceWord], fail: (String) -> Diagnostic) throws {
        if role != .run, let word = seen.first(where: { $0.scope == .run }) {
            throw fail("'\(word.name)' applies only to a `swift run` snippet")
        }
        if role == .display, let word = seen.first(where: { $0.scope == .runOrSetup }) {
            throw fail("'\(word.name)' applies only to a `swift run` or `swift setup` snippet")
        }
    }

    private mutating func checkCombinations(fail: (String) -> Diagnostic) throws {
        if let exitCode {
            guard expectation == .failure(exit: nil) else { throw fail("exit=\(exitCode) needs expect=failure") }
            expectation = .failure(exit: exitCode)
        }
        if session != nil, repeatCount > 1 {
            throw fail("a session snippet cannot use repeat=")
        }
        if session != nil, timeline {
            throw fail("a session snippet cannot use timeline: its spans could not be told apart per snippet")
        }
    }

    private static func split(_ word: String) -> (String, String?) {
        guard let eq = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<eq]), String(word[word.index(after: eq)...]))
    }

    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
    }
}

/// What the words after `swift` in a fence's info string ask for: the fence contract.
public struct FenceOptions: Sendable, Equatable, Hashable {
    public enum Role: Sendable, Equatable, Hashable { case run, setup, display }

    /// How a `run` snippet is meant to end. Anything else is a failure, including success
    /// where a failure was expected ("incorrectly succeeded"). `race`: it ends normally, and
    /// ThreadSanitizer reports at least one data race in it.
    public enum Expectation: Sendable, Equatable, Hashable {
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

    /// Parses everything after the language word. `line` is where the fence is, for messages.
    public static func parse(_ info: String, file: String, line: Int) throws -> FenceOptions {
        var options = FenceOptions()
        let words = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().map(String.init)
        options.words = words
        var seen = Set<String>()
        var exitCode: Int32?
        func fail(_ message: String) -> Diagnostic { Diagnostic(file: file, line: line, message) }

        for word in words {
            let (key, value) = split(word)
            guard seen.insert(key).inserted else { throw fail("'\(key)' is given twice in the fence") }
            switch (key, value) {
            case ("run", nil): options.role = .run
            case ("setup", nil): options.role = .setup
            case ("unordered", nil): options.unordered = true
            case ("serial", nil): options.serial = true
            case ("swift5", nil): options.swift5 = true
            case ("timeline", nil): options.timeline = true
            case ("id", let v?):
                guard isName(v) else { throw fail("id '\(v)' must use only letters, digits and '-'") }
                options.id = v
            case ("session", let v?):
                guard isName(v) else { throw fail("session '\(v)' must use only letters, digits and '-'") }
                options.session = v
            case ("timeout", let v?):
                // Fractions too: a deadlock demo should not cost its reader seconds.
                guard v.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let seconds = Double(v),
                      seconds >= 0.1, seconds <= 3600 else {
                    throw fail("timeout '\(v)' must be a number of seconds from 0.1 to 3600, such as 2 or 0.5")
                }
                options.timeout = seconds
            case ("repeat", let v?):
                guard let count = Int(v), count >= 1, count <= 1000 else {
                    throw fail("repeat '\(v)' must be a whole number from 1 to 1000")
                }
                options.repeatCount = count
            case ("exit", let v?):
                guard let code = Int32(v), code > 0, code < 256 else { throw fail("exit '\(v)' must be from 1 to 255") }
                exitCode = code
            case ("expect", let v?):
                switch v {
                case "compile-error": options.expectation = .compileError
                case "crash": options.expectation = .crash
                case "failure": options.expectation = .failure(exit: nil)
                case "timeout": options.expectation = .timeout
                case "success": options.expectation = .success
                case "race": options.expectation = .race
                default: throw fail("expect '\(v)' is not one of compile-error, crash, failure, timeout, race, success")
                }
            default:
                if value == nil, ["id", "session", "timeout", "repeat", "exit", "expect"].contains(key) {
                    throw fail("'\(key)' needs a value: \(key)=…")
                }
                if value != nil, ["run", "setup", "unordered", "serial", "swift5", "timeline"].contains(key) {
                    throw fail("'\(key)' takes no value")
                }
                throw fail("unknown word '\(word)' after swift (known: run, setup, id=, timeout=, expect=, exit=, unordered, repeat=, serial, swift5, timeline, session=)")
            }
        }
        if let exitCode {
            guard options.expectation == .failure(exit: nil) else { throw fail("exit=\(exitCode) needs expect=failure") }
            options.expectation = .failure(exit: exitCode)
        }
        if options.role != .run {
            let runOnly = ["expect", "exit", "timeout", "repeat", "unordered", "serial", "timeline", "session"]
            if let word = runOnly.first(where: seen.contains) {
                throw fail("'\(word)' applies only to a `swift run` snippet")
            }
        }
        if options.role == .display, let word = ["id", "swift5"].first(where: seen.contains) {
            throw fail("'\(word)' applies only to a `swift run` or `swift setup` snippet")
        }
        if options.session != nil, options.repeatCount > 1 {
            throw fail("a session snippet cannot use repeat=")
        }
        if options.session != nil, options.timeline {
            throw fail("a session snippet cannot use timeline: its spans could not be told apart per snippet")
        }
        return options
    }

    private static func split(_ word: String) -> (String, String?) {
        guard let eq = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<eq]), String(word[word.index(after: eq)...]))
    }

    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
    }
}

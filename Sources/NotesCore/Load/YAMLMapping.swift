import Yams

/// A YAML mapping read with Yams, with typed look-ups that fail as `Diagnostic`s.
/// Shared by front matter and the course config so both report problems the same way.
struct YAMLMapping {
    let values: [String: Any]
    let file: String
    /// Line in the file where the YAML text starts, for messages.
    let firstLine: Int
    let context: String
    private let lines: [Substring]

    init(text: String, file: String, firstLine: Int, context: String) throws {
        self.file = file
        self.firstLine = firstLine
        self.context = context
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let root: Node?
        do {
            // The encoding is named: Yams' default reads the whole process environment on every call.
            root = try Yams.compose(yaml: text, Self.resolver, .default, .utf8)
        } catch let error as YamlError {
            throw Self.diagnostic(for: error, file: file, firstLine: firstLine, context: context)
        }
        // Checked before Yams builds values: it traps on a key that is a list or a mapping (`[^1]: text`),
        // and expands aliases without limit, so a few lines of anchors ("billion laughs") never finish.
        // The first was found by fuzzing (Fuzz/run.sh), the second while fixing it.
        var budget = Self.maximumValues
        if let root, let (node, problem) = Self.firstProblem(in: root, budget: &budget) {
            throw Diagnostic(file: file, line: firstLine + (node.mark?.line ?? 1) - 1, "\(context): \(problem)")
        }
        switch root?.any {
        case nil: values = [:]
        case let map as [String: Any]: values = map
        case let map as [AnyHashable: Any]:
            values = Dictionary(uniqueKeysWithValues: map.map { ("\($0.key)", $0.value) })
        default:
            throw Diagnostic(file: file, line: firstLine, "\(context): expected a mapping of keys to values")
        }
    }

    /// Whole numbers and null are all a note or a config reads; any other plain value is text, so
    /// `title: Yes` is a title, not a boolean. Yams' default tries seven regular expressions on every
    /// plain value, which was a fifth of parsing a note.
    private static let resolver = Resolver.basic.appending(.int).appending(.null)

    /// Far more than a note or a config needs; bounds the work an alias can multiply.
    static let maximumValues = 10_000

    private static func firstProblem(in node: Node, budget: inout Int) -> (Node, String)? {
        budget -= 1
        if budget < 0 { return (node, "more than \(maximumValues) values (aliases expanded)") }
        switch node {
        case .scalar, .alias:
            return nil
        case .sequence(let items):
            for item in items {
                if let problem = firstProblem(in: item, budget: &budget) { return problem }
            }
            return nil
        case .mapping(let pairs):
            for (key, value) in pairs {
                if key.scalar == nil { return (key, "a key must be a plain name, not a list or a mapping") }
                if let problem = firstProblem(in: value, budget: &budget) { return problem }
            }
            return nil
        }
    }

    func string(_ key: String) throws -> String? {
        guard let value = values[key] else { return nil }
        switch value {
        case let s as String: return s
        case let i as Int: return String(i)
        case let d as Double: return String(d)
        default: throw typeError(key, "a string")
        }
    }

    func int(_ key: String) throws -> Int? {
        guard let value = values[key] else { return nil }
        guard let i = value as? Int else { throw typeError(key, "a whole number") }
        return i
    }

    /// Only `true` and `false`: the resolver leaves YAML 1.1's `yes`, `on` and `n` as the strings they look like.
    func bool(_ key: String) throws -> Bool? {
        guard let value = values[key] else { return nil }
        switch value as? String {
        case "true": return true
        case "false": return false
        default: throw typeError(key, "true or false")
        }
    }

    func rejectUnknownKeys(allowed: Set<String>) throws {
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw Diagnostic(file: file, line: firstLine,
                             "\(context): unknown key '\(unknown)' (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func typeError(_ key: String, _ expected: String) -> Diagnostic {
        Diagnostic(file: file, line: line(ofKey: key), "\(context): '\(key)' must be \(expected)")
    }

    /// Yams gives values, not positions; a top-level key's line is the line that starts with it.
    private func line(ofKey key: String) -> Int {
        let index = lines.firstIndex { $0.hasPrefix("\(key):") || $0.hasPrefix("\"\(key)\":") }
        return firstLine + (index ?? 0)
    }

    private static func diagnostic(for error: YamlError, file: String, firstLine: Int, context: String) -> Diagnostic {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return Diagnostic(file: file, line: firstLine + mark.line - 1, "\(context): \(problem)")
        default:
            return Diagnostic(file: file, line: firstLine, "\(context): \(error)")
        }
    }
}

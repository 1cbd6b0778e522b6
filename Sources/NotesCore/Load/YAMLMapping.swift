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
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: text)
        } catch let error as YamlError {
            throw Self.diagnostic(for: error, file: file, firstLine: firstLine, context: context)
        }
        switch loaded {
        case nil: values = [:]
        case let map as [String: Any]: values = map
        case let map as [AnyHashable: Any]:
            values = Dictionary(uniqueKeysWithValues: map.map { ("\($0.key)", $0.value) })
        default:
            throw Diagnostic(file: file, line: firstLine, "\(context): expected a mapping of keys to values")
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

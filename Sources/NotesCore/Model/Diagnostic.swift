/// One problem found in the notes, printed compiler style: `Content/02-locks.md:41: error: …`.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning, note }

    public var file: String
    public var line: Int?
    public var severity: Severity
    public var message: String

    public init(file: String, line: Int? = nil, severity: Severity = .error, _ message: String) {
        self.file = file
        self.line = line
        self.severity = severity
        self.message = message
    }

    /// Always a single line: a multi-line message would break `file:line:` parsers in editors and CI.
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        let flat = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return "\(place): \(severity.rawValue): \(flat)"
    }
}

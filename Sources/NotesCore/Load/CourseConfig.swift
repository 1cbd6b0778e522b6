import Foundation

/// `notes.yaml` at the root of the content folder. Every key is optional; unknown keys are errors
/// so a typo never silently changes nothing.
public struct CourseConfig: Sendable {
    public static let fileName = "notes.yaml"

    public var title = "Lecture notes"
    public var author: String?
    /// Seconds one run may take unless its fence says `timeout=`.
    public var timeout = 10
    /// The Swift language mode for snippets without `swift5`.
    public var swiftVersion = 6
    /// Applied to real and recorded output before comparing; defaults first, then the course's own.
    public var sanitizers = Sanitizer.defaults
    /// What each snippet run may use besides time: memory, file size, processes, output.
    public var limits = SandboxLimits()
    /// Every program is built with ThreadSanitizer, as with `verify --tsan`.
    public var tsan = false

    public init() {}

    public static func load(contentDirectory: URL, displayPrefix: String) throws -> CourseConfig {
        let url = contentDirectory.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else { return CourseConfig() }
        let display = displayPrefix.isEmpty ? fileName : "\(displayPrefix)/\(fileName)"
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic(file: display, "not valid UTF-8")
        }
        return try parse(text, file: display)
    }

    static func parse(_ text: String, file: String) throws -> CourseConfig {
        let map = try YAMLMapping(text: text, file: file, firstLine: 1, context: "config")
        try map.rejectUnknownKeys(allowed: ["title", "author", "timeout", "swift-version", "sanitizers",
                                            "memory-limit-mib", "file-size-limit-mib", "process-limit", "output-limit-kib", "tsan"])
        var config = CourseConfig()
        config.title = try map.string("title") ?? config.title
        config.author = try map.string("author")
        config.tsan = try map.bool("tsan") ?? false
        if let timeout = try map.int("timeout") {
            guard timeout > 0 else { throw map.typeError("timeout", "a positive number of seconds") }
            config.timeout = timeout
        }
        for (key, unit, path) in [("memory-limit-mib", 1 << 20, \SandboxLimits.memoryBytes),
                                  ("file-size-limit-mib", 1 << 20, \SandboxLimits.fileBytes),
                                  ("process-limit", 1, \SandboxLimits.processes),
                                  ("output-limit-kib", 1 << 10, \SandboxLimits.outputBytes)] {
            guard let value = try map.int(key) else { continue }
            guard value > 0, value <= Int(Int32.max) else { throw map.typeError(key, "a positive number") }
            config.limits[keyPath: path] = value * unit
        }
        if let version = try map.int("swift-version") {
            guard version == 5 || version == 6 else { throw map.typeError("swift-version", "5 or 6") }
            config.swiftVersion = version
        }
        if let raw = map.values["sanitizers"] {
            guard let list = raw as? [Any] else { throw map.typeError("sanitizers", "a list of {pattern, replacement}") }
            for item in list {
                guard let entry = item as? [String: Any], let pattern = entry["pattern"] as? String,
                      let replacement = entry["replacement"] as? String, entry.count == 2 else {
                    throw map.typeError("sanitizers", "a list of {pattern, replacement}")
                }
                guard let sanitizer = Sanitizer(pattern: pattern, replacement: replacement) else {
                    throw map.typeError("sanitizers", "valid regular expressions ('\(pattern)' is not)")
                }
                config.sanitizers.append(sanitizer)
            }
        }
        return config
    }
}

/// The words a ```` ```swift ```` fence may carry, in one table: `FenceOptions.parse`, its error messages
/// and the README's fence-contract table all come from it. A new word is one new entry here.
struct FenceWord: Sendable {
    /// Which snippets may carry the word.
    enum Scope: Sendable { case any, runOrSetup, run }

    /// One row of the README's table.
    struct Doc: Sendable {
        var written: String
        var meaning: String
        var example: String
    }

    typealias Apply = @Sendable (inout FenceOptions, _ value: String, _ fail: (String) -> Diagnostic) throws -> Void

    let name: String
    /// What follows `=` in the README (`NAME`, `SECONDS`); nil for a word that takes no value.
    let placeholder: String?
    let scope: Scope
    let docs: [Doc]
    let apply: Apply

    init(_ name: String, _ placeholder: String? = nil, scope: Scope, meaning: String, example: String, apply: @escaping Apply) {
        let written = placeholder.map { "\(name)=\($0)" } ?? name
        self.init(name, placeholder, scope: scope, docs: [Doc(written: written, meaning: meaning, example: example)], apply: apply)
    }

    init(_ name: String, _ placeholder: String?, scope: Scope, docs: [Doc], apply: @escaping Apply) {
        self.name = name
        self.placeholder = placeholder
        self.scope = scope
        self.docs = docs
        self.apply = apply
    }

    static func named(_ name: String) -> FenceWord? { all.first { $0.name == name } }

    /// The README's table, in Markdown.
    static var markdownTable: String {
        var rows = ["| word | meaning | example |", "| --- | --- | --- |"]
        for doc in all.flatMap(\.docs) {
            rows.append("| `\(doc.written)` | \(doc.meaning) | ```` ```swift \(doc.example) ```` |")
        }
        return rows.joined(separator: "\n")
    }
}

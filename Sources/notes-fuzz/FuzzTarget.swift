import NotesCore

/// One input through `PagePreview`, judged by the project's rule for bad input: a page, or one
/// `Diagnostic` that points into the note. Anything else (a trap, another error, a line outside the
/// file) is a bug, and the fuzzer makes it a crash so it keeps the input.
enum FuzzTarget {
    static let path = "fuzz.md"

    enum Outcome {
        case page(htmlBytes: Int)
        case diagnostic(Diagnostic)
        case bug(String)
    }

    static func run(_ bytes: [UInt8]) -> Outcome {
        let file = SourceFile(relativePath: path, displayPath: path, bytes: bytes)
        do {
            return .page(htmlBytes: try PagePreview.render(file).html.utf8.count)
        } catch let diagnostic as Diagnostic {
            // A file of N newlines has N + 1 lines; cmark may name the line after the last.
            let lines = bytes.count(where: { $0 == UInt8(ascii: "\n") }) + 1
            if diagnostic.file != path || diagnostic.line.map({ !(1...lines).contains($0) }) == true {
                return .bug("diagnostic outside the note (\(lines) lines): \(diagnostic)")
            }
            return .diagnostic(diagnostic)
        } catch {
            return .bug("not a Diagnostic: \(type(of: error)): \(error)")
        }
    }
}

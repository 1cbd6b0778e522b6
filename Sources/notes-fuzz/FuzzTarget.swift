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
            let lines = lineCount(bytes)
            if diagnostic.file != path || diagnostic.line.map({ !(1...lines).contains($0) }) == true {
                return .bug("diagnostic outside the note (\(lines) lines): \(diagnostic)")
            }
            return .diagnostic(diagnostic)
        } catch {
            return .bug("not a Diagnostic: \(type(of: error)): \(error)")
        }
    }

    /// Lines as CommonMark (and so cmark's line numbers) count them: `\n`, `\r\n` and a lone `\r`
    /// each end one. (A fuzzer input with lone `\r`s showed that counting only `\n` is too few.)
    static func lineCount(_ bytes: [UInt8]) -> Int {
        var lines = 1
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && bytes[safe: index + 1] != UInt8(ascii: "\n")) {
                lines += 1
            }
        }
        return lines
    }
}

private extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

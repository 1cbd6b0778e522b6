import SwiftParser
import SwiftSyntax

/// A snippet's code split the way a `main.swift` needs it split to live inside one function:
/// declarations that Swift allows only at file scope (imports, extensions, protocols, operators)
/// are lifted out, and everything else stays in the body with its lines where they were.
struct TopLevelCode {
    /// Lifted declarations, each with its 1-based line within the snippet.
    var fileScope: [(line: Int, text: String)] = []
    /// The snippet with the lifted declarations blanked out, so every line keeps its number.
    var body: String

    init(_ code: String, liftEverything: Bool = false) {
        let tree = Parser.parse(source: code)
        let converter = SourceLocationConverter(fileName: "", tree: tree)
        var bytes = Array(code.utf8)
        for item in tree.statements {
            guard case .decl(let decl) = item.item, liftEverything || Self.mustLift(decl) else { continue }
            let start = item.positionAfterSkippingLeadingTrivia.utf8Offset
            let end = item.endPositionBeforeTrailingTrivia.utf8Offset
            let line = converter.location(for: item.positionAfterSkippingLeadingTrivia).line
            fileScope.append((line, Self.fileprivateText(of: decl, itemStart: start, in: bytes)))
            for i in start..<end where bytes[i] != UInt8(ascii: "\n") { bytes[i] = UInt8(ascii: " ") }
        }
        body = String(decoding: bytes, as: UTF8.self)
    }

    private static func mustLift(_ decl: DeclSyntax) -> Bool {
        decl.is(ImportDeclSyntax.self) || decl.is(ExtensionDeclSyntax.self) || decl.is(ProtocolDeclSyntax.self)
            || decl.is(OperatorDeclSyntax.self) || decl.is(PrecedenceGroupDeclSyntax.self)
    }

    private static let accessWords: Set<String> = ["private", "fileprivate", "internal", "public", "package", "open"]

    /// Declarations from different pages share one module; `fileprivate` keeps their names apart.
    private static func fileprivateText(of decl: DeclSyntax, itemStart: Int, in bytes: [UInt8]) -> String {
        let end = decl.endPositionBeforeTrailingTrivia.utf8Offset
        let text = String(decoding: bytes[itemStart..<end], as: UTF8.self)
        guard !decl.is(ImportDeclSyntax.self), !decl.is(OperatorDeclSyntax.self), !decl.is(PrecedenceGroupDeclSyntax.self),
              let withModifiers = decl.asProtocol(WithModifiersSyntax.self),
              !withModifiers.modifiers.contains(where: { accessWords.contains($0.name.text) }) else { return text }
        // After the attributes (`@MainActor fileprivate final class`), or at the start.
        var insertAt = itemStart
        if let attributes = decl.asProtocol(WithAttributesSyntax.self)?.attributes, !attributes.isEmpty {
            insertAt = attributes.endPositionBeforeTrailingTrivia.utf8Offset
        }
        let offset = insertAt - itemStart
        let utf8 = Array(text.utf8)
        let prefix = String(decoding: utf8[..<offset], as: UTF8.self)
        let rest = String(decoding: utf8[offset...], as: UTF8.self)
        return offset == 0 ? "fileprivate " + rest : prefix + " fileprivate" + rest
    }
}

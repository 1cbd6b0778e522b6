import SwiftIDEUtils
import SwiftParser
import SwiftSyntax

/// Swift code to HTML with a `<span class>` per kind of token, done at build time so pages need
/// no script. swift-syntax's classifications are the base; a few refinements follow the names a
/// reader expects coloured (calls, macros, types in expressions) that the classifier leaves plain.
enum SwiftHighlighter {
    /// What a stretch of code is shown as. The CSS class names are short because every token has one.
    enum Style: UInt8 {
        case plain, keyword, string, regex, number, comment, type, attribute, function, macro, `operator`

        var cssClass: String? {
            switch self {
            case .plain: nil
            case .keyword: "k"
            case .string: "s"
            case .regex: "r"
            case .number: "n"
            case .comment: "c"
            case .type: "t"
            case .attribute: "a"
            case .function: "f"
            case .macro: "m"
            case .operator: "o"
            }
        }
    }

    static func html(_ source: String) -> String {
        let tree = Parser.parse(source: source)
        let bytes = Array(source.utf8)
        // One style per UTF-8 byte: refinements overwrite the base, then equal neighbours merge into one span.
        var styles = [Style](repeating: .plain, count: bytes.count)
        func paint(_ range: Range<AbsolutePosition>, _ style: Style) {
            let lower = max(0, range.lowerBound.utf8Offset), upper = min(bytes.count, range.upperBound.utf8Offset)
            if lower < upper { styles.replaceSubrange(lower..<upper, with: repeatElement(style, count: upper - lower)) }
        }
        for classified in tree.classifications {
            paint(classified.range, style(for: classified.kind))
        }
        for token in tree.tokens(viewMode: .sourceAccurate) {
            let start = token.positionAfterSkippingLeadingTrivia
            guard start.utf8Offset < bytes.count,
                  let style = refinedStyle(token, base: styles[start.utf8Offset]) else { continue }
            paint(start..<token.endPositionBeforeTrailingTrivia, style)
        }
        return spans(bytes: bytes, styles: styles)
    }

    private static func style(for kind: SyntaxClassification) -> Style {
        switch kind {
        case .keyword: .keyword
        case .stringLiteral: .string
        case .regexLiteral: .regex
        case .integerLiteral, .floatLiteral: .number
        case .lineComment, .blockComment, .docLineComment, .docBlockComment: .comment
        case .type: .type
        case .attribute: .attribute
        case .ifConfigDirective: .macro
        case .operator: .operator
        default: .plain
        }
    }

    /// The classifier calls `print` in `print(x)` a plain identifier and `#` in `#expect` punctuation.
    private static func refinedStyle(_ token: TokenSyntax, base: Style) -> Style? {
        switch token.tokenKind {
        case .pound, .poundSourceLocation, .poundAvailable, .poundUnavailable:
            return .macro
        case .rawStringPoundDelimiter:
            return .string
        case .equal, .arrow, .exclamationMark, .infixQuestionMark, .postfixQuestionMark, .prefixAmpersand:
            return .operator
        case .identifier(let name) where base == .plain:
            return identifierStyle(token, name: name)
        default:
            // A modifier spelled as a plain name is classified as an attribute; it reads as a keyword.
            return token.parent?.is(DeclModifierSyntax.self) == true ? .keyword : nil
        }
    }

    private static func identifierStyle(_ token: TokenSyntax, name: String) -> Style? {
        guard let parent = token.parent else { return nil }
        if parent.is(MacroExpansionExprSyntax.self) || parent.is(MacroExpansionDeclSyntax.self) { return .macro }
        if token.keyPathInParent == \FunctionDeclSyntax.name || token.keyPathInParent == \MacroDeclSyntax.name {
            return .function
        }
        // Swift's naming convention: a capitalised name in an expression is a type (`Mutex(0)`, `Task { }`).
        if name.first?.isUppercase == true, !parent.is(LabeledExprSyntax.self) {
            return token.keyPathInParent == \FunctionParameterSyntax.firstName ? nil : .type
        }
        if parent.is(DeclReferenceExprSyntax.self), isCalled(Syntax(parent)) { return .function }
        return nil
    }

    /// Whether a name is what a call calls: `f` in `f(x)`, `withLock` in `counter.withLock { }`.
    private static func isCalled(_ reference: Syntax) -> Bool {
        var callee = reference
        if let member = reference.parent?.as(MemberAccessExprSyntax.self), member.declName.id == reference.id {
            callee = Syntax(member)
        }
        guard let call = callee.parent?.as(FunctionCallExprSyntax.self) else { return false }
        return call.calledExpression.id == callee.id
    }

    private static func spans(bytes: [UInt8], styles: [Style]) -> String {
        var html = ""
        html.reserveCapacity(bytes.count * 2)
        var start = 0
        while start < bytes.count {
            var end = start + 1
            while end < bytes.count, styles[end] == styles[start] { end += 1 }
            let text = HTML.escape(String(decoding: bytes[start..<end], as: UTF8.self))
            if let cssClass = styles[start].cssClass {
                html += "<span class=\"\(cssClass)\">\(text)</span>"
            } else {
                html += text
            }
            start = end
        }
        return html
    }
}

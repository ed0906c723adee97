import Foundation

/// One tag of HTML as ``HTMLText`` reads it: its lower-cased name, whether it closes, and its
/// attributes on request. Lenient on purpose: e-mail HTML is rarely valid.
struct HTMLTag {
    var name: String
    var isClosing: Bool
    private let body: Substring

    /// `inside` is the text between `<` and `>`.
    init(_ inside: Substring) {
        var rest = inside.drop(while: \.isWhitespace)
        isClosing = rest.first == "/"
        if isClosing { rest = rest.dropFirst() }
        let name = rest.prefix(while: { $0.isLetter || $0.isNumber })
        self.name = name.lowercased()
        body = rest.dropFirst(name.count)
    }

    /// The value of attribute `name`: quoted with `"` or `'`, or unquoted up to whitespace.
    func attribute(_ name: String) -> String? {
        var rest = body
        while let range = rest.range(of: name, options: .caseInsensitive) {
            let before = rest[..<range.lowerBound].last
            var after = rest[range.upperBound...].drop(while: \.isWhitespace)
            rest = rest[range.upperBound...]
            guard before == nil || before!.isWhitespace, after.first == "=" else { continue }
            after = after.dropFirst().drop(while: \.isWhitespace)
            if let quote = after.first, quote == "\"" || quote == "'" {
                return String(after.dropFirst().prefix(while: { $0 != quote }))
            }
            return String(after.prefix(while: { !$0.isWhitespace && $0 != "/" }))
        }
        return nil
    }
}

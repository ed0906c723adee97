import Foundation

/// Splits a migration file into single statements.
///
/// PostgresNIO speaks only the extended query protocol, which takes one statement at a time,
/// so a file must be cut at its top-level semicolons: not those inside quotes, quoted
/// identifiers, comments or dollar-quoted bodies.
public enum SQLScript {
    /// One statement and the line it starts on (for error messages).
    public struct Statement: Sendable, Equatable {
        public var sql: String
        public var line: Int
    }

    public static func statements(in script: String) -> [Statement] {
        let characters = Array(script.unicodeScalars)
        var statements: [Statement] = []
        var current = String.UnicodeScalarView()
        var line = 1
        var startLine: Int?
        var index = 0

        func emit() {
            let text = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty, !isOnlyComments(text) {
                statements.append(Statement(sql: text, line: startLine ?? line))
            }
            current.removeAll()
            startLine = nil
        }
        func take(_ count: Int) {
            for offset in 0..<count where index + offset < characters.count {
                let scalar = characters[index + offset]
                if scalar == "\n" { line += 1 }
                current.append(scalar)
            }
            index += count
        }
        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            index + offset < characters.count ? characters[index + offset] : nil
        }

        while index < characters.count {
            let scalar = characters[index]
            if startLine == nil, !scalar.properties.isWhitespace { startLine = line }
            switch scalar {
            case "-" where peek(1) == "-":
                while let next = peek(), next != "\n" { take(1) }
            case "/" where peek(1) == "*":
                var depth = 0
                repeat {
                    if peek() == "/" && peek(1) == "*" {
                        depth += 1
                        take(2)
                    } else if peek() == "*" && peek(1) == "/" {
                        depth -= 1
                        take(2)
                    } else {
                        take(1)
                    }
                } while depth > 0 && index < characters.count
            case "'", "\"":
                let quote = scalar
                let backslashEscapes = quote == "'" && index > 0 && (characters[index - 1] == "E" || characters[index - 1] == "e")
                take(1)
                while let next = peek() {
                    if backslashEscapes && next == "\\" {
                        take(2)
                    } else if next == quote {
                        take(1)
                        if peek() == quote { take(1) } else { break }
                    } else {
                        take(1)
                    }
                }
            case "$":
                if let tag = dollarTag(characters, at: index) {
                    take(tag.count)
                    while index < characters.count {
                        if characters[index] == "$", matches(characters, at: index, tag) {
                            take(tag.count)
                            break
                        }
                        take(1)
                    }
                } else {
                    take(1)
                }
            case ";":
                index += 1
                emit()
            default:
                take(1)
            }
        }
        emit()
        return statements
    }

    /// The `$tag$` opening a dollar-quoted string at `index`, or nil (`$1` is a parameter).
    private static func dollarTag(_ characters: [Unicode.Scalar], at index: Int) -> [Unicode.Scalar]? {
        var end = index + 1
        while end < characters.count {
            let scalar = characters[end]
            if scalar == "$" { return Array(characters[index...end]) }
            let allowed = scalar == "_" || scalar.properties.isAlphabetic || (end > index + 1 && ("0"..."9").contains(scalar))
            guard allowed else { return nil }
            end += 1
        }
        return nil
    }

    private static func matches(_ characters: [Unicode.Scalar], at index: Int, _ tag: [Unicode.Scalar]) -> Bool {
        guard index + tag.count <= characters.count else { return false }
        return Array(characters[index..<(index + tag.count)]) == tag
    }

    private static func isOnlyComments(_ text: String) -> Bool {
        text.split(separator: "\n").allSatisfy {
            let line = $0.trimmingCharacters(in: .whitespaces)
            return line.isEmpty || line.hasPrefix("--")
        }
    }
}

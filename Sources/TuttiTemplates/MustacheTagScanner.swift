/// The tags of a template that swift-mustache has already parsed, with where each starts: the
/// library keeps its tokens to itself, and checking names needs them and their positions.
///
/// It follows the parser's reading of tags (set-delimiter tags, `{{{…}}}`, sigils, transforms
/// as `name(arg)`), but not its errors: it runs only on text that compiled.
struct MustacheTagScanner {
    /// One tag; `name` has transforms removed (`uppercased(customer.name)` → `customer.name`).
    struct Tag: Hashable {
        enum Kind: Hashable { case variable, section, inverted, close, partial, parent, block, other }
        var kind: Kind
        var name: String
        var line: Int
        var column: Int
    }

    private let characters: [Character]
    private var index = 0
    private var line = 1
    private var column = 1

    static func tags(in source: String) -> [Tag] {
        var scanner = MustacheTagScanner(characters: Array(source))
        return scanner.scan()
    }

    private init(characters: [Character]) {
        self.characters = characters
    }

    private mutating func scan() -> [Tag] {
        var tags: [Tag] = []
        var open: [Character] = ["{", "{"]
        var close: [Character] = ["}", "}"]
        while index < characters.count {
            guard at(open) else {
                advance(1)
                continue
            }
            let (tagLine, tagColumn) = (line, column)
            advance(open.count)
            let sigil = index < characters.count ? characters[index] : " "
            let triple = sigil == "{"
            let content = read(until: triple ? ["}"] + close : close)
            let body = String(content.dropFirst("#^/!>&=%$<{".contains(sigil) ? 1 : 0)).trimmingSpaces
            if sigil == "=" {
                let delimiters = body.dropLast().split(whereSeparator: \.isWhitespace)
                if delimiters.count == 2 { (open, close) = (Array(delimiters[0]), Array(delimiters[1])) }
                continue
            }
            let kind: Tag.Kind =
                switch sigil {
                case "#": .section
                case "^": .inverted
                case "/": .close
                case ">": .partial
                case "<": .parent
                case "$": .block
                case "!", "%": .other
                default: .variable
                }
            tags.append(Tag(kind: kind, name: Self.withoutTransforms(body), line: tagLine, column: tagColumn))
        }
        return tags
    }

    private func at(_ delimiter: [Character]) -> Bool {
        index + delimiter.count <= characters.count && characters[index..<index + delimiter.count].elementsEqual(delimiter)
    }

    /// The characters up to `end`, consuming `end` too.
    private mutating func read(until end: [Character]) -> [Character] {
        let start = index
        while index < characters.count, !at(end) { advance(1) }
        let content = Array(characters[start..<index])
        advance(end.count)
        return content
    }

    /// Moves on, counting lines as the library does (every newline character, `\r\n` being one).
    private mutating func advance(_ count: Int) {
        for _ in 0..<count where index < characters.count {
            if characters[index].isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
    }

    /// `a(b(name))` → `name`.
    static func withoutTransforms(_ text: String) -> String {
        guard let open = text.lastIndex(of: "("), let close = text.firstIndex(of: ")"), open < close else { return text }
        return String(text[text.index(after: open)..<close])
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

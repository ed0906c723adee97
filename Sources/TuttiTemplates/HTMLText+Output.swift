/// The text being built by ``HTMLText``: breaks are held until text follows them, so that
/// nested blocks give one blank line, not several, and the text never starts or ends with one.
struct TextOutput {
    private(set) var text = ""
    /// Newlines owed before the next text: 1 for a new line, 2 for a blank line.
    private var pendingBreaks = 0
    private var pendingSpace = false
    /// Where each open link's text starts in ``text``.
    private var linkStarts: [Int] = []

    var result: String { text }

    mutating func write(_ chunk: String, preformatted: Bool) {
        for character in chunk {
            if !preformatted, character.isWhitespace {
                pendingSpace = true
                continue
            }
            if preformatted, character.isNewline {
                text.append("\n")
                continue
            }
            if pendingBreaks > 0, !text.isEmpty {
                text.append(String(repeating: "\n", count: pendingBreaks))
            } else if pendingSpace, !text.isEmpty, text.last != "\n", text.last != " " {
                text.append(" ")
            }
            pendingBreaks = 0
            pendingSpace = false
            text.append(character == "\u{A0}" ? " " : character)
        }
    }

    mutating func space() { pendingSpace = true }
    mutating func lineBreak() { text.isEmpty ? () : text.append("\n"); pendingSpace = false; pendingBreaks = 0 }
    mutating func newLine() { pendingBreaks = max(pendingBreaks, 1) }
    mutating func blankLine() { pendingBreaks = 2 }

    mutating func startLink() { linkStarts.append(text.utf8.count) }

    /// Appends ` (url)` after the link's text, unless the text already is the URL or the link
    /// goes nowhere a reader can follow (`#…`, no `href`).
    mutating func endLink(href: String?) {
        guard let start = linkStarts.popLast(), let href, !href.isEmpty, !href.hasPrefix("#") else { return }
        let label = String(decoding: text.utf8.dropFirst(start), as: UTF8.self).trimmingSpaces
        let shown = href.hasPrefix("mailto:") ? String(href.dropFirst(7)) : href
        if label.isEmpty {
            write(shown, preformatted: false)
        } else if label != shown {
            text.append(" (\(shown))")
        }
    }
}

import Foundation

/// The plain-text alternative of an HTML e-mail, for a template without `email.text`: what a
/// reader of the HTML sees, as text.
///
/// Block elements (paragraphs, headings, lists, tables, `div`) start new lines, paragraphs and
/// headings with a blank line between; `<br>` breaks a line; list items start with `- `; a link
/// reads `text (url)` (just the URL when the text is the URL); `head`, `style`, `script` and
/// comments disappear; whitespace collapses as a browser collapses it, except in `pre`; entities
/// are decoded last, so `&lt;b&gt;` stays text.
enum HTMLText {
    static func plainText(_ html: String) -> String {
        var output = TextOutput()
        var links: [String?] = []
        var skipping: String?
        var preformatted = 0
        var rest = html[...]
        while let open = rest.firstIndex(of: "<") {
            let text = rest[..<open]
            if skipping == nil { output.write(HTMLEntities.decode(String(text)), preformatted: preformatted > 0) }
            if rest[open...].hasPrefix("<!--") {
                rest = rest[open...].range(of: "-->").map { rest[$0.upperBound...] } ?? ""
                continue
            }
            guard let close = rest[open...].firstIndex(of: ">") else {
                rest = rest[open...]
                break
            }
            let tag = HTMLTag(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
            if let name = skipping {
                if tag.isClosing, tag.name == name { skipping = nil }
                continue
            }
            if ["head", "style", "script", "title"].contains(tag.name), !tag.isClosing {
                skipping = tag.name
                continue
            }
            switch tag.name {
            case "br": output.lineBreak()
            case "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "hr": output.blankLine()
            case "div", "tr", "section", "article", "header", "footer", "dl", "dt", "dd": output.newLine()
            case "li": if !tag.isClosing { output.newLine(); output.write("- ", preformatted: true) }
            case "td", "th": if !tag.isClosing { output.space() }
            case "pre": preformatted += tag.isClosing ? -1 : 1; output.blankLine()
            case "a" where !tag.isClosing: links.append(tag.attribute("href").map(HTMLEntities.decode)); output.startLink()
            case "a": if let href = links.popLast() { output.endLink(href: href ?? nil) }
            case "img" where !tag.isClosing:
                if let alt = tag.attribute("alt"), !alt.isEmpty { output.write(HTMLEntities.decode(alt), preformatted: false) }
            default: break
            }
        }
        if skipping == nil { output.write(HTMLEntities.decode(String(rest)), preformatted: preformatted > 0) }
        return output.result
    }
}

/// The worked examples of a Markdown document (docs/rules.md), so that tests and the fuzzer can
/// use exactly what the documentation shows.
///
/// A fenced block marked `rule` holds a rule; the block right after it says what it gives:
/// `json` for the expected tree (the `Codable` form), or `errors` for the expected errors, one
/// `line:column: message` per line. A block marked `segment NAME VERSION` defines a segment
/// that the examples may name.
public struct RuleExampleDocument: Sendable {
    /// One worked example.
    public struct Example: Sendable, Hashable {
        /// The line of the document where the rule's block starts.
        public var line: Int
        public var rule: String
        public var expectedJSON: String?
        public var expectedErrors: [String]?
    }

    public var examples: [Example] = []
    public var segments: [SegmentDefinition] = []

    public init(markdown: String) {
        var blocks: [(line: Int, info: String, body: String)] = []
        var open: (line: Int, info: String, body: [Substring])?
        for (index, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("```") {
                if let block = open {
                    blocks.append((block.line, block.info, block.body.joined(separator: "\n")))
                    open = nil
                } else {
                    open = (index + 1, line.dropFirst(3).trimmingSpaces, [])
                }
            } else {
                open?.body.append(line)
            }
        }
        for (index, block) in blocks.enumerated() {
            let words = block.info.split(separator: " ")
            if words.first == "segment", words.count == 3, let version = Int(words[2]) {
                segments.append(SegmentDefinition(name: String(words[1]), version: version, rule: .text(block.body)))
            }
            guard block.info == "rule" else { continue }
            var example = Example(line: block.line, rule: block.body)
            if index + 1 < blocks.count {
                let next = blocks[index + 1]
                if next.info == "json" { example.expectedJSON = next.body }
                if next.info == "errors" { example.expectedErrors = next.body.split(separator: "\n").map(String.init) }
            }
            examples.append(example)
        }
    }

    /// The segments as a resolver.
    public var catalog: SegmentCatalog { SegmentCatalog(segments) }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

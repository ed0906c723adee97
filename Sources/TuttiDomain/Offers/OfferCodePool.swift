import Foundation

/// Reads a code pool as `POST /v1/offers/{id}/codes` takes it: one code per line
/// (`text/plain`), or one `{"code": "…"}` object per line (`application/x-ndjson`). Blank
/// lines are skipped; a code repeated within the upload is kept once and reported.
public struct OfferCodePool: Sendable, Equatable {
    /// A line that holds no usable code.
    public struct BadLine: Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    public static let maximumCodeLength = 128

    /// The distinct codes, in the order they first appear.
    public var codes: [String] = []
    /// Codes that appeared again within the upload.
    public var repeated: [String] = []
    public var badLines: [BadLine] = []

    public init(text: String, ndjson: Bool) {
        var seen = Set<String>()
        var number = 0
        // "\r\n" is one Character in Swift: split on both line ends.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            guard !line.allSatisfy({ $0 == " " || $0 == "\t" }) else { continue }
            let code: String
            if ndjson {
                guard case .object(let members)? = try? JSONScanner.parse(Array(line.utf8)), members.count == 1,
                    case .string(let value)? = members["code"]
                else {
                    badLines.append(BadLine(line: number, message: #"must be a JSON object {"code": "…"} and nothing else"#))
                    continue
                }
                code = value
            } else {
                code = line.trimmingCharacters(in: .whitespaces)
            }
            if let problem = Self.problem(with: code) {
                badLines.append(BadLine(line: number, message: problem))
            } else if seen.insert(code).inserted {
                codes.append(code)
            } else {
                repeated.append(code)
            }
        }
    }

    /// What is wrong with a code, or nil: 1 to 128 characters, no spaces or control characters.
    static func problem(with code: String) -> String? {
        if code.isEmpty || code.count > maximumCodeLength { return "a code must be 1 to \(maximumCodeLength) characters" }
        if code.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) {
            return "a code must not contain spaces or control characters"
        }
        return nil
    }
}

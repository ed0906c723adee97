import Foundation

/// An `application/x-www-form-urlencoded` body (or an RFC 8058 `multipart/form-data` one,
/// which mail providers may send) read as name/value pairs.
enum FormBody {
    /// The pairs of `text`; `+` is a space and `%XX` a byte, as HTML forms encode them.
    static func pairs(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Whether `body` (of content type `contentType`) says `List-Unsubscribe=One-Click`.
    static func isOneClick(_ body: String, contentType: String?) -> Bool {
        let type = contentType?.lowercased() ?? ""
        if type.hasPrefix("multipart/form-data") {
            // One part named List-Unsubscribe whose value is One-Click.
            return body.range(
                of: #"name="?List-Unsubscribe"?\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n"#, options: .regularExpression) != nil
        }
        return pairs(body).contains { $0.name == "List-Unsubscribe" && $0.value == "One-Click" }
    }

    private static func decode(_ part: Substring) -> String {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}

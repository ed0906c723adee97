/// How an SMS text is encoded and how many segments it is sent (and billed) as.
///
/// GSM-7 (3GPP TS 23.038, the default alphabet and its extension table) when every character
/// is in it, else UCS-2. One segment holds 160 septets or 70 UTF-16 code units; a longer text is
/// split into segments of 153 septets or 67 code units, because each carries a 6-byte
/// concatenation header. Extension characters (`^{}\[~]|€` and form feed) take two septets, an
/// escape and the character, and a pair is never split across segments; neither is a UTF-16
/// surrogate pair (an emoji), as handsets would show two broken halves.
public struct SMSSegments: Sendable, Hashable, Codable {
    /// The encoding a gateway will choose for the text.
    public enum Encoding: String, Sendable, Hashable, Codable {
        case gsm7 = "GSM-7"
        case ucs2 = "UCS-2"
    }

    public var encoding: Encoding
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    public var units: Int
    /// Segments sent; 0 for an empty text.
    public var count: Int

    public init(_ text: String) {
        var costs: [Int] = []
        var isGSM = true
        for scalar in text.unicodeScalars {
            if Self.basic.contains(scalar) {
                costs.append(1)
            } else if Self.extensionTable.contains(scalar) {
                costs.append(2)
            } else {
                isGSM = false
                break
            }
        }
        if !isGSM { costs = text.unicodeScalars.map { $0.utf16.count } }
        encoding = isGSM ? .gsm7 : .ucs2
        units = costs.reduce(0, +)
        let (single, multipart) = isGSM ? (160, 153) : (70, 67)
        count = units <= single ? (units == 0 ? 0 : 1) : Self.segments(costs, capacity: multipart)
    }

    /// Fills segments in order, starting a new one where the next character does not fit whole.
    private static func segments(_ costs: [Int], capacity: Int) -> Int {
        var segments = 1
        var used = 0
        for cost in costs {
            if used + cost > capacity {
                segments += 1
                used = 0
            }
            used += cost
        }
        return segments
    }

    /// The GSM 03.38 default alphabet, without the escape code itself.
    static let basic: Set<Unicode.Scalar> = Set(
        ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà").unicodeScalars)

    /// The extension table reached through the escape code: two septets each.
    static let extensionTable: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)
}

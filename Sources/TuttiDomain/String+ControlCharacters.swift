extension String {
    /// Whether any scalar is a control character (general category Cc: U+0000–U+001F and
    /// U+007F–U+009F).
    ///
    /// Unicode's stability policy fixes the Cc set, so a scan of the UTF-8 bytes answers what
    /// `unicodeScalars.contains { $0.properties.generalCategory == .control }` answers with a
    /// table search per scalar, which was a percent of the API's time validating the
    /// identities of ingested messages.
    var containsControlCharacter: Bool {
        // Bytes below 0x80 are ASCII scalars. The C1 controls are C2 80–C2 9F in UTF-8, and
        // C2 is only ever a lead byte, so the pair can mean nothing else.
        var previous: UInt8 = 0
        for byte in utf8 {
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) { return true }
            previous = byte
        }
        return false
    }
}

import Foundation

extension UUID {
    /// The canonical lower-case text of the id (`0191c3e2-…`), written directly from its
    /// bytes: `uuidString.lowercased()` formats through the C library and then copies, which
    /// showed in the delivery worker's profile at four ids per message.
    public var canonicalText: String {
        let bytes = uuid
        return String(unsafeUninitializedCapacity: 36) { buffer in
            let digits: StaticString = "0123456789abcdef"
            var index = 0
            func put(_ byte: UInt8) {
                digits.withUTF8Buffer { hex in
                    buffer[index] = hex[Int(byte >> 4)]
                    buffer[index + 1] = hex[Int(byte & 0x0F)]
                }
                index += 2
            }
            func dash() {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            put(bytes.0); put(bytes.1); put(bytes.2); put(bytes.3); dash()
            put(bytes.4); put(bytes.5); dash()
            put(bytes.6); put(bytes.7); dash()
            put(bytes.8); put(bytes.9); dash()
            put(bytes.10); put(bytes.11); put(bytes.12); put(bytes.13); put(bytes.14); put(bytes.15)
            return index
        }
    }
}

/// A new request id: a random (version 4) UUID in lower case, as `UUID().uuidString.lowercased()`
/// wrote it.
///
/// Made here because Foundation's `UUID()` on Linux opens, reads and closes `/dev/urandom` for
/// every id, three system calls on every request; `SystemRandomNumberGenerator` is one
/// `getrandom`, and the text is written once, already in lower case.
enum RandomRequestID {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(high: generator.next(), low: generator.next())
    }

    /// The id whose 128 bits are `high` then `low`, with the version and variant bits set.
    static func make(high: UInt64, low: UInt64) -> String {
        let high = (high & ~0xF000) | 0x4000  // version 4: bits 48-51 of the UUID
        let low = (low & ~(0xC000 << 48)) | (0x8000 << 48)  // variant 10: bits 64-65
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            func write(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    buffer[position] = digits.utf8Start[Int((value >> UInt64(shift)) & 0xF)]
                    position += 1
                }
            }
            func dash() {
                buffer[position] = UInt8(ascii: "-")
                position += 1
            }
            write(high >> 32, nibbles: 8)
            dash()
            write(high >> 16, nibbles: 4)
            dash()
            write(high, nibbles: 4)
            dash()
            write(low >> 48, nibbles: 4)
            dash()
            write(low, nibbles: 12)
            return position
        }
    }
}

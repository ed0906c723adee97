import Foundation

extension UUID {
    /// A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits.
    ///
    /// Ids made this way sort by creation time, so keyset pagination by id lists rows in the
    /// order they were made and B-tree inserts stay on the right-hand edge of the index.
    public static func v7(at date: Date = Date()) -> UUID {
        var generator = SystemRandomNumberGenerator()
        return v7(at: date, using: &generator)
    }

    /// A version 7 UUID with randomness from `generator`.
    public static func v7(at date: Date, using generator: inout some RandomNumberGenerator) -> UUID {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        // Two draws rather than sixteen: the system generator makes a syscall for each.
        let (high, low) = (generator.next(), generator.next())
        var bytes = (0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? high : low) >> (8 * UInt64($0 % 8))) }
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index)))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        ))
    }
}

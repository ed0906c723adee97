/// A small, fast, seedable random number generator (Steele, Lea and Flood's SplitMix64): a
/// fuzz run replays from its seed, and code that makes many ids at once draws their random
/// bits here (``systemSeeded()``) instead of from `SystemRandomNumberGenerator`, which makes a
/// `getrandom` system call for every 64 bits.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator seeded from the system generator, for the ids of one batch (events of an
    /// ingested batch, customers of an import chunk). Ids need uniqueness, not secrecy: one
    /// generator never repeats a draw within 2^64 of them, and two overlap only if their
    /// random seeds land within a batch's length of each other.
    public static func systemSeeded() -> SplitMix64 {
        var system = SystemRandomNumberGenerator()
        return SplitMix64(seed: system.next())
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random bits for the many ids one request makes (the events of an ingested batch, the
/// customers of an import chunk): xoshiro256** seeded once from the system generator.
///
/// `SystemRandomNumberGenerator` makes a `getrandom` system call for every 64 bits, two per
/// UUID; at tens of thousands of events a second those calls were a visible part of the API's
/// time. Ids need uniqueness, not secrecy: 256 bits of seed from the system make two sources
/// that repeat each other's output as unlikely as two system draws that collide.
public struct IDRandomSource: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A source seeded from the system generator.
    public init() {
        var system = SystemRandomNumberGenerator()
        state = (system.next(), system.next(), system.next(), system.next())
        // xoshiro's one forbidden state; the system generator will not produce it in practice.
        if state == (0, 0, 0, 0) { state.0 = 0x9E37_79B9_7F4A_7C15 }
    }

    public mutating func next() -> UInt64 {
        let result = (state.1 &* 5).rotatedLeft(by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = state.3.rotatedLeft(by: 45)
        return result
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 { self << count | self >> (64 - count) }
}

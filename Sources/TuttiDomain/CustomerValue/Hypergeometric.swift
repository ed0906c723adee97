import Foundation

/// Gauss's hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1, by its power series: the
/// BG/NBD model's conditional expectation needs it with z = t / (α + T + t).
public enum Hypergeometric {
    public static func f21(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        precondition(z >= 0 && z < 1, "the series is used only inside the unit interval")
        var term = 1.0
        var sum = 1.0
        var n = 0.0
        // Terms shrink like zⁿ eventually; near z = 1 that takes a few thousand of them.
        while n < 100_000 {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z
            sum += term
            if abs(term) <= 1e-14 * abs(sum) { break }
            n += 1
        }
        return sum
    }
}

import Foundation

/// The BG/NBD model of repeat buying (Fader, Hardie and Lee, 2005): while alive, a customer buys
/// at a Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with probability
/// p ~ Beta(a, b). Fitted per tenant by maximum likelihood; predicts purchases in a coming
/// period from a customer's (x, tₓ, T).
public struct BGNBDModel: Sendable, Hashable, Codable {
    public var r: Double
    public var alpha: Double
    public var a: Double
    public var b: Double

    public init(r: Double, alpha: Double, a: Double, b: Double) {
        self.r = r
        self.alpha = alpha
        self.a = a
        self.b = b
    }

    /// The log-likelihood of one customer's summary.
    public func logLikelihood(_ s: PurchaseSummary) -> Double {
        let x = Double(s.repeatPurchases)
        let a1 = lgamma(r + x) - lgamma(r) + r * log(alpha)
        let a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x)
        let a3 = -(r + x) * log(alpha + s.observedWeeks)
        guard s.repeatPurchases > 0 else { return a1 + a2 + a3 }
        let a4 = log(a) - log(b + x - 1) - (r + x) * log(alpha + s.lastPurchaseAge)
        let high = max(a3, a4)
        return a1 + a2 + high + log(exp(a3 - high) + exp(a4 - high))
    }

    /// Expected purchases in the next `weeks` weeks for a customer with this summary.
    public func expectedPurchases(in weeks: Double, for s: PurchaseSummary) -> Double {
        let x = Double(s.repeatPurchases)
        let ratio = (alpha + s.observedWeeks) / (alpha + s.observedWeeks + weeks)
        let z = weeks / (alpha + s.observedWeeks + weeks)
        let term = pow(ratio, r + x) * Hypergeometric.f21(r + x, b + x, a + b + x - 1, z)
        let numerator = (a + b + x - 1) / (a - 1) * (1 - term)
        let alive = s.repeatPurchases > 0
            ? 1 + a / (b + x - 1) * pow((alpha + s.observedWeeks) / (alpha + s.lastPurchaseAge), r + x)
            : 1
        let expected = numerator / alive
        return expected.isFinite ? max(0, expected) : 0
    }

    /// The maximum-likelihood model for these summaries (each weighted by how many customers
    /// share it), or nil when there is too little data to fit.
    public static func fit(_ summaries: [(PurchaseSummary, count: Int)]) -> BGNBDModel? {
        guard summaries.reduce(0, { $0 + $1.count }) >= 10, summaries.contains(where: { $0.0.repeatPurchases > 0 }) else { return nil }
        // Start from lifetimes' customary guess, in log space so every parameter stays positive.
        let best = NelderMead.minimize(start: [0, 0, 0, 0]) { p in
            let model = BGNBDModel(r: exp(p[0]), alpha: exp(p[1]), a: exp(p[2]), b: exp(p[3]))
            var total = 0.0
            for (summary, count) in summaries { total += Double(count) * model.logLikelihood(summary) }
            return -total
        }
        let model = BGNBDModel(r: exp(best.point[0]), alpha: exp(best.point[1]), a: exp(best.point[2]), b: exp(best.point[3]))
        return best.value.isFinite ? model : nil
    }
}

import Foundation

/// The Gamma-Gamma model of spend per purchase (Fader and Hardie, 2013): a customer's purchase
/// values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers. Fitted per tenant on customers
/// with at least two purchases; predicts a customer's expected value per purchase, shrinking
/// their own average towards the tenant's.
public struct GammaGammaModel: Sendable, Hashable, Codable {
    public var p: Double
    public var q: Double
    public var gamma: Double

    public init(p: Double, q: Double, gamma: Double) {
        self.p = p
        self.q = q
        self.gamma = gamma
    }

    /// The log-likelihood of one customer's average over `purchases` purchases.
    public func logLikelihood(purchases: Int, averageValue m: Double) -> Double {
        let x = Double(purchases)
        return lgamma(p * x + q) - lgamma(p * x) - lgamma(q) + q * log(gamma) + (p * x - 1) * log(m) + p * x * log(x)
            - (p * x + q) * log(gamma + m * x)
    }

    /// The expected value of this customer's next purchase.
    public func expectedValue(purchases: Int, averageValue m: Double) -> Double {
        let x = Double(purchases)
        let expected = p * (gamma + x * m) / (p * x + q - 1)
        return expected.isFinite ? max(0, expected) : max(0, m)
    }

    /// The maximum-likelihood model, or nil with fewer than ten customers who bought twice
    /// (with positive spend).
    public static func fit(_ customers: [(purchases: Int, averageValue: Double, count: Int)]) -> GammaGammaModel? {
        let usable = customers.filter { $0.purchases >= 2 && $0.averageValue > 0 }
        guard usable.reduce(0, { $0 + $1.count }) >= 10 else { return nil }
        let best = NelderMead.minimize(start: [0, 1, 0]) { v in
            let model = GammaGammaModel(p: exp(v[0]), q: exp(v[1]), gamma: exp(v[2]))
            var total = 0.0
            for c in usable { total += Double(c.count) * model.logLikelihood(purchases: c.purchases, averageValue: c.averageValue) }
            return -total
        }
        let model = GammaGammaModel(p: exp(best.point[0]), q: exp(best.point[1]), gamma: exp(best.point[2]))
        // q ≤ 1 has no finite mean spend; such a fit predicts nothing useful.
        return best.value.isFinite && model.q > 1 ? model : nil
    }
}

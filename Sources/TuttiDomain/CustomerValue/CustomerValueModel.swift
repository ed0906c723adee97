import Foundation

/// A tenant's fitted customer value model: BG/NBD for how many purchases a customer will make,
/// Gamma-Gamma for what each will be worth. `predicted_12m` is their product over 52 weeks.
public struct CustomerValueModel: Sendable, Hashable, Codable {
    /// The name stored with the fitted parameters.
    public static let name = "bgnbd+gamma-gamma"

    public var purchases: BGNBDModel
    /// Nil when too few customers bought twice; each customer's own average is used instead.
    public var spend: GammaGammaModel?
    /// How many customers (summaries) the fit saw.
    public var fittedOn: Int

    public init(purchases: BGNBDModel, spend: GammaGammaModel?, fittedOn: Int) {
        self.purchases = purchases
        self.spend = spend
        self.fittedOn = fittedOn
    }

    /// Fits both models by maximum likelihood on at most `sampleLimit` summaries (an even
    /// stride through them, so the fit costs the same for a million customers as for twenty
    /// thousand). Nil when there is too little data: fewer than ten buyers, or no repeat buyer.
    public static func fit(_ summaries: [PurchaseSummary], sampleLimit: Int = 20_000) -> CustomerValueModel? {
        let sample: [PurchaseSummary]
        if summaries.count > sampleLimit {
            let stride = Double(summaries.count) / Double(sampleLimit)
            sample = (0..<sampleLimit).map { summaries[Int(Double($0) * stride)] }
        } else {
            sample = summaries
        }
        // Identical summaries (common: one purchase, same week) weigh in once with a count.
        var shapes: [PurchaseSummary: Int] = [:]
        for summary in sample { shapes[summary, default: 0] += 1 }
        let weighted = shapes.map { ($0.key, count: $0.value) }
        guard let purchases = BGNBDModel.fit(weighted) else { return nil }
        let spend = GammaGammaModel.fit(weighted.map { (purchases: $0.0.purchases, averageValue: $0.0.averageValue, count: $0.count) })
        return CustomerValueModel(purchases: purchases, spend: spend, fittedOn: sample.count)
    }

    /// Expected revenue from this customer over the next `weeks` weeks.
    public func predictedValue(weeks: Double = 52, for summary: PurchaseSummary) -> Double {
        let count = purchases.expectedPurchases(in: weeks, for: summary)
        let value = spend?.expectedValue(purchases: summary.purchases, averageValue: summary.averageValue) ?? summary.averageValue
        let predicted = count * value
        return predicted.isFinite ? predicted : 0
    }
}

/// What the value models know of one customer's purchases: the recency-frequency-monetary
/// summary of their conversion events, in weeks.
public struct PurchaseSummary: Sendable, Hashable {
    /// Purchases after the first one (BG/NBD's x).
    public var repeatPurchases: Int
    /// Weeks from the first to the last purchase (t_x).
    public var lastPurchaseAge: Double
    /// Weeks from the first purchase to now (T).
    public var observedWeeks: Double
    /// Mean revenue per purchase.
    public var averageValue: Double

    public init(repeatPurchases: Int, lastPurchaseAge: Double, observedWeeks: Double, averageValue: Double) {
        self.repeatPurchases = repeatPurchases
        self.lastPurchaseAge = lastPurchaseAge
        self.observedWeeks = observedWeeks
        self.averageValue = averageValue
    }

    /// All purchases, the first one included.
    public var purchases: Int { repeatPurchases + 1 }
}

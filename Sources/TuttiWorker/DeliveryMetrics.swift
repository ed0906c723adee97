import Metrics
import TuttiDomain

/// The delivery worker's Prometheus metrics: `tutti_deliveries_total`, sends by outcome
/// (accepted, retry, failed), counted per batch by the worker that sent them.
enum DeliveryMetrics {
    /// Counts one batch's outcomes; deliveries not sent because of the circuit count as
    /// retries, undeliverable ones as failed.
    static func record(_ results: [DeliveryResult]) {
        var accepted = 0
        var retry = 0
        var failed = 0
        for result in results {
            switch result.outcome {
            case .sent(.accepted): accepted += 1
            case .sent(.retryLater), .notSent: retry += 1
            case .sent(.failed), .undeliverable: failed += 1
            }
        }
        for (label, count) in [("accepted", accepted), ("retry", retry), ("failed", failed)] where count > 0 {
            Counter(label: "tutti_deliveries_total", dimensions: [("outcome", label)]).increment(by: count)
        }
    }
}

import Metrics
import TuttiDomain

/// The delivery worker's Prometheus metrics: `tutti_deliveries_total`, sends by outcome
/// (accepted, retry, failed), counted per batch by the worker that sent them.
enum DeliveryMetrics {
    /// Counts one batch's outcomes.
    static func record(_ outcomes: [DeliveryOutcome]) {
        var accepted = 0
        var retry = 0
        var failed = 0
        for outcome in outcomes {
            switch outcome {
            case .accepted: accepted += 1
            case .retryLater: retry += 1
            case .failed: failed += 1
            }
        }
        for (label, count) in [("accepted", accepted), ("retry", retry), ("failed", failed)] where count > 0 {
            Counter(label: "tutti_deliveries_total", dimensions: [("outcome", label)]).increment(by: count)
        }
    }
}

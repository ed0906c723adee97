import CoreMetrics
import Metrics
import Prometheus

/// The process's Prometheus registry, behind swift-metrics.
///
/// swift-metrics has one global factory per process, so the registry is bootstrapped exactly
/// once, on first use, whichever composition root (or test) gets there first.
public enum TuttiMetrics {
    /// The registry every metric of this process is recorded in; `GET /metrics` prints it.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Makes sure the metrics system is bootstrapped before anything records a metric.
    public static func bootstrap() {
        _ = registry
    }
}

import CoreMetrics
import Metrics
import TuttiQueue
import TuttiStore

/// The work queue's Prometheus metrics, labelled by queue.
///
/// Throughput counters are counted by the process that does the work (workers: claimed,
/// completed, failed, dead-lettered; the scheduler: promoted, rescued) and summed across
/// processes by Prometheus. Depth gauges describe the whole database and are refreshed by the
/// scheduler from `queue_stats()` (several schedulers report the same figures; aggregate them
/// with `max`, not `sum`).
public enum QueueMetrics {
    /// Jobs leased by claims.
    public static func claimed(_ count: Int, queue: String) { counter("tutti_queue_claimed_total", queue, count) }
    /// Jobs completed (deleted) by their worker.
    public static func completed(_ count: Int, queue: String) { counter("tutti_queue_completed_total", queue, count) }
    /// Failed attempts reported by workers (retried or dead-lettered).
    public static func failed(_ count: Int, queue: String) { counter("tutti_queue_failed_total", queue, count) }
    /// Jobs moved to the dead letters, by the worker or by rescue.
    public static func deadLettered(_ count: Int, queue: String) { counter("tutti_queue_dead_lettered_total", queue, count) }
    /// Scheduled jobs made ready by the scheduler (all queues).
    public static func promoted(_ count: Int) { counter("tutti_queue_promoted_total", nil, count) }
    /// Lapsed leases returned to ready by the scheduler (all queues).
    public static func rescued(_ count: Int) { counter("tutti_queue_rescued_total", nil, count) }

    /// Sets the depth gauges from one `queue_stats()` reading.
    public static func record(_ stats: [QueueStats]) {
        for queue in stats {
            for (state, count) in [("ready", queue.ready), ("scheduled", queue.scheduled), ("leased", queue.leased)] {
                Gauge(label: "tutti_queue_jobs", dimensions: [("queue", queue.queue), ("state", state)]).record(count)
            }
            Gauge(label: "tutti_queue_oldest_ready_seconds", dimensions: [("queue", queue.queue)]).record(queue.oldestReadySeconds)
            Gauge(label: "tutti_queue_dead_letters", dimensions: [("queue", queue.queue)]).record(queue.deadLetters)
        }
    }

    private static func counter(_ label: String, _ queue: String?, _ count: Int) {
        guard count > 0 else { return }
        Counter(label: label, dimensions: queue.map { [("queue", $0)] } ?? []).increment(by: count)
    }
}

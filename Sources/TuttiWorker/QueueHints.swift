import Foundation

/// Tenants named by `NOTIFY tutti_queue` hints since each lane last looked: the LISTEN task
/// adds to every lane's list, and each lane takes its own and serves those tenants next, so
/// a hint wakes every idle lane, not only the first to look.
actor QueueHints {
    private var tenants: [[UUID]]

    init(lanes: Int) {
        tenants = Array(repeating: [], count: max(1, lanes))
    }

    func add(_ tenant: UUID) {
        for lane in tenants.indices where tenants[lane].count < 10_000 { tenants[lane].append(tenant) }
    }

    func isEmpty(lane: Int) -> Bool { tenants[lane].isEmpty }

    func take(lane: Int) -> [UUID] {
        defer { tenants[lane].removeAll(keepingCapacity: true) }
        return tenants[lane]
    }
}

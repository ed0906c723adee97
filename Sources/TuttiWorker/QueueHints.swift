import Foundation

/// Tenants named by `NOTIFY tutti_queue` hints since the worker last looked: the LISTEN task
/// adds, the claim loop takes them and serves those tenants next.
actor QueueHints {
    private var tenants: [UUID] = []

    func add(_ tenant: UUID) {
        if tenants.count < 10_000 { tenants.append(tenant) }
    }

    var isEmpty: Bool { tenants.isEmpty }

    func take() -> [UUID] {
        defer { tenants.removeAll(keepingCapacity: true) }
        return tenants
    }
}

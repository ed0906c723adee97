/// How urgent a job is within its tenant and queue: a claim takes lower values first, and jobs
/// of equal priority in the order of their run time.
///
/// Priority orders one tenant's work only. Between tenants, workers rotate (see
/// `TenantRotation`), so a tenant's bulk campaign never delays another tenant's urgent job
/// by more than a rotation round.
public enum QueuePriority: Int16, Sendable, Hashable, Comparable, CaseIterable {
    /// A person is waiting: one-time passwords, password resets.
    case urgent = 0
    /// Transactional messages: receipts, alerts.
    case high = 1
    /// The default.
    case normal = 2
    /// Campaigns and other large sends that may wait behind everything else.
    case bulk = 3

    public static func < (lhs: QueuePriority, rhs: QueuePriority) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

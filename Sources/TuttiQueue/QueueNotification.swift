import Foundation
import TuttiDomain

/// The hint sent on channel ``channel`` when jobs become ready: by the enqueue statement itself
/// (application SQL, not a trigger), and by promotion and rescue. Its payload is
/// `"<queue> <tenant id>"`.
///
/// A hint only wakes workers and tells them whom to serve first; it is never the only way work
/// is found (notifications are lost while nobody listens, and PostgreSQL drops duplicates
/// within a transaction), so workers also poll ``QueueDatabase/queueReadyTenants(queue:after:limit:logger:)``.
public struct QueueNotification: Sendable, Hashable {
    /// The LISTEN channel.
    public static let channel = "tutti_queue"

    public var queue: QueueName
    public var tenantID: UUID

    public init(queue: QueueName, tenantID: UUID) {
        self.queue = queue
        self.tenantID = tenantID
    }

    /// Parses a notification's payload; nil for anything else (ignore it).
    public init?(payload: String) {
        let parts = payload.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, let queue = try? QueueName(String(parts[0])), let tenantID = UUID(uuidString: String(parts[1]))
        else {
            return nil
        }
        self.init(queue: queue, tenantID: tenantID)
    }
}

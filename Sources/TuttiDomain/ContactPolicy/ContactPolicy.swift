import Foundation

/// A tenant's contact policy (docs/contact-policy.md): caps on how many messages one customer
/// may receive within a rolling window, and quiet hours in the customer's own time zone.
/// Transactional messages are exempt from both.
///
/// Pure: parsed and validated from the API's JSON (``init(json:)``), stored as that JSON
/// (``json``), and applied by ``ContactAdmission`` and ``QuietHours/window(containing:in:)``.
public struct ContactPolicy: Sendable, Hashable {
    /// At most `max` messages on `channels` to one customer within any `per` (a rolling window
    /// ending at the moment of sending).
    public struct Cap: Sendable, Hashable {
        public var channels: ChannelSelection
        public var max: Int
        public var per: PolicyWindow

        public init(channels: ChannelSelection, max: Int, per: PolicyWindow) {
            self.channels = channels
            self.max = max
            self.per = per
        }
    }

    public var caps: [Cap]
    public var quietHours: QuietHours?

    public init(caps: [Cap] = [], quietHours: QuietHours? = nil) {
        self.caps = caps
        self.quietHours = quietHours
    }

    /// Whether the policy restricts nothing (no cap, no quiet hours): stored as no policy.
    public var isEmpty: Bool { caps.isEmpty && quietHours == nil }

    /// The caps that count messages of `channelType`.
    public func caps(for channelType: String) -> [Cap] { caps.filter { $0.channels.contains(channelType) } }

    /// The longest window of any cap: how far back the ledger must be read.
    public var longestWindow: PolicyWindow? { caps.map(\.per).max() }
}

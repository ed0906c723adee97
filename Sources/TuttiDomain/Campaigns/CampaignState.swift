/// Where a campaign stands (sql/0060_campaigns.sql):
///
/// - draft → scheduled (launch) → running (the engine opens the first occurrence) →
///   completed (the engine: nothing left to send, no occurrence to come);
/// - scheduled or running → paused (pause) → back (resume);
/// - any state but completed and cancelled → cancelled (cancel).
///
/// The API's actions move a campaign between draft, scheduled, paused and cancelled; the
/// scheduler's engine moves it to running when it opens an occurrence and to completed when
/// nothing is left to send.
public enum CampaignState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Being written: the only state a campaign may be changed in.
    case draft
    /// Launched: versions pinned, waiting for its first occurrence.
    case scheduled
    /// An occurrence has opened: the audience is being built or its messages sent.
    case running
    /// Held by a person: no audience is built and no message of it is sent until resumed.
    case paused
    /// Nothing left to send and no occurrence to come.
    case completed
    /// Stopped for good: open occurrences are cancelled and unsent messages are dropped.
    case cancelled

    /// Whether no action but clone and delete applies any more.
    public var isFinal: Bool { self == .completed || self == .cancelled }
}

/// What a person asks of a campaign through the API.
public enum CampaignAction: String, Sendable, Hashable, CaseIterable {
    case launch, pause, resume, cancel
    /// `PATCH /v1/campaigns/{id}`.
    case change
    /// `DELETE /v1/campaigns/{id}`.
    case delete
}

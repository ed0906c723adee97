import TuttiDomain

/// The import stopped being `running` while it ran: a client cancelled it, or the scheduler's
/// sweep failed it. The rows committed before stay; nothing after the last chunk was written.
struct ImportStopped: Error, Sendable {
    var status: ImportStatus
}

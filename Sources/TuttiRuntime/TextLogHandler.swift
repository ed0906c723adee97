import Logging

/// swift-log's `StreamLogHandler` on standard output, with the logger's metadata kept here and
/// handed over only when a record is written.
///
/// `StreamLogHandler` formats its whole metadata again each time one key is set. A request sets
/// three keys (request id, tenant, API key) and then writes one line, which formats them all
/// anyway: this handler formats them once per line written, and not at all for a level that is
/// not logged.
public struct TextLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata: Logger.Metadata = [:]

    public init(label: String) {
        self.stream = StreamLogHandler.standardOutput(label: label)
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        }
        stream.log(event: event)
    }
}

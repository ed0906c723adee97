import Glibc
import Logging
import Synchronization

/// Writes each log record as one text line on standard output, in swift-log's
/// `StreamLogHandler` layout: `2026-11-24T13:04:11+0000 info tutti-api: key=value … [Module] message`,
/// metadata keys sorted.
///
/// The API writes one such line per request, so its cost is part of every request's. This
/// handler keeps the logger's metadata as given and formats it only when a line is written,
/// formats the timestamp once per second, and hands the line to the kernel in one `write`:
/// `StreamLogHandler` re-formatted all metadata whenever a key was set, and called
/// `localtime`, `strftime`, `fwrite` and `fflush` per line (`ops/bench-lookup`: about 30 µs of
/// the API's CPU per request, against 10 µs now).
public struct TextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = ""
        // An access line is about 200 bytes; growing the string to it step by step copied it
        // several times.
        line.reserveCapacity(256)
        line += LogTimestamp.current()
        line += " "
        line += event.level.rawValue
        if !label.isEmpty {
            line += " "
            line += label
        }
        line += ":"
        appendMetadata(explicit: event.metadata, to: &line)
        line += " ["
        line += event.source
        line += "] "
        line += event.message.description
        line += "\n"
        StandardOutput.write(line)
    }

    /// ` key=value` for the logger's metadata and the record's own (which wins), by key.
    private func appendMetadata(explicit: Logger.Metadata?, to line: inout String) {
        var pairs: [(key: String, value: Logger.Metadata.Value)] = []
        pairs.reserveCapacity(metadata.count + (explicit?.count ?? 0))
        for (key, value) in metadata where explicit?[key] == nil {
            pairs.append((key, value))
        }
        if let explicit {
            for (key, value) in explicit { pairs.append((key, value)) }
        }
        pairs.sort { $0.key < $1.key }
        for pair in pairs {
            line += " "
            line += pair.key
            line += "="
            line += pair.value.description
        }
    }
}

/// The text timestamp, local time to the second, formatted again only when the second changes.
enum LogTimestamp {
    private static let cache = Mutex<(second: time_t, text: String)>((-1, ""))

    static func current() -> String {
        let now = time(nil)
        return cache.withLock { cached in
            if cached.second != now {
                cached = (now, format(now))
            }
            return cached.text
        }
    }

    private static func format(_ second: time_t) -> String {
        var seconds = second
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Standard output for both log formats, one `write` per line so that lines from different
/// threads never mix.
enum StandardOutput {
    private static let lock = Mutex<Void>(())

    static func write(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            lock.withLock { _ in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(1, bytes.baseAddress! + offset, bytes.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // a closed or full stdout loses the line, never the process
                    }
                }
            }
        }
    }
}

/// Splits newline-delimited text into lines as bytes arrive, holding at most one line. Blank
/// lines are skipped; a trailing `\r` is dropped; a line longer than `maxLineBytes` is reported
/// (by its number) and skipped without being kept.
struct NDJSONLineReader: Sendable {
    let maxLineBytes: Int
    private var pending = PendingBytes()
    /// The number of the line starting at `pending.start`.
    private(set) var line = 1
    /// Dropping the rest of an over-long line until its newline arrives.
    private var skipping = false

    init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    mutating func append(_ bytes: some Collection<UInt8>) { pending.append(bytes) }

    mutating func finish() { pending.finish() }

    /// The next non-blank line, or nil when more bytes are needed (or, once finished, at the end).
    mutating func next() -> ReadRecord<ArraySlice<UInt8>>? {
        while true {
            if skipping {
                guard pending.skipRestOfLine() else { return nil }
                line += 1
                skipping = false
            }
            guard !pending.isEmpty else { return nil }
            let start = pending.start
            let end: Int
            if let newline = pending.newline(from: start) {
                end = newline
            } else if pending.isFinished {
                end = pending.bytes.count
            } else {
                guard pending.count > maxLineBytes else { return nil }
                skipping = true
                pending.discardAll()
                return .malformed(line: line, message: "is longer than \(maxLineBytes) bytes")
            }
            let number = line
            pending.consume(upTo: min(end + 1, pending.bytes.count))
            line += 1
            if end - start > maxLineBytes { return .malformed(line: number, message: "is longer than \(maxLineBytes) bytes") }
            var content = pending.bytes[start..<end]
            if content.last == 0x0D { content = content.dropLast() }
            if content.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return .record(line: number, content)
        }
    }
}

/// Bytes of a stream received but not yet parsed: what the record readers hold between the
/// network's chunks. Parsed bytes are dropped as more arrive, so the buffer holds at most one
/// unfinished record plus the latest chunk.
struct PendingBytes: Sendable {
    private(set) var bytes: [UInt8] = []
    /// The first byte not yet consumed.
    private(set) var start = 0
    /// No more bytes will arrive.
    private(set) var isFinished = false

    var isEmpty: Bool { start == bytes.count }
    var count: Int { bytes.count - start }

    mutating func append(_ more: some Collection<UInt8>) {
        precondition(!isFinished, "bytes appended after finish()")
        if start > 0 {
            bytes.removeSubrange(0..<start)
            start = 0
        }
        bytes.append(contentsOf: more)
    }

    mutating func finish() { isFinished = true }

    /// Marks bytes up to `end` (exclusive) as consumed.
    mutating func consume(upTo end: Int) {
        precondition(end >= start && end <= bytes.count)
        start = end
    }

    /// Drops everything received so far (the rest of an over-long line).
    mutating func discardAll() { start = bytes.count }

    /// The index of the first `\n` at or after `from`, if received.
    func newline(from: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            var index = from
            while index < buffer.count {
                if buffer[index] == 0x0A { return index }
                index += 1
            }
            return nil
        }
    }

    /// Drops the rest of the current line, its newline included; false when that newline has
    /// not arrived yet (what is pending is dropped meanwhile, so a huge broken line costs no memory).
    mutating func skipRestOfLine() -> Bool {
        guard let newline = newline(from: start) else {
            discardAll()
            return false
        }
        consume(upTo: newline + 1)
        return true
    }
}

/// What a record reader found: a record's fields (CSV) or bytes (NDJSON), or a record that
/// cannot be read, with the line it starts on.
enum ReadRecord<Content: Equatable>: Equatable {
    case record(line: Int, Content)
    case malformed(line: Int, message: String)
}

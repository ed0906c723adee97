/// Splits CSV text (RFC 4180) into records as bytes arrive, holding at most one record:
/// fields may be quoted (`"Smith, ""Ann"""`) and quoted fields may span lines. Records are
/// numbered by the physical line they start on; blank lines and a leading byte-order mark
/// are skipped; `\r\n` and `\n` both end a record.
///
/// A record that cannot be read (a quote inside an unquoted field, text after a closing
/// quote, a quote never closed, a record over `maxRecordBytes`) is reported, and reading
/// resumes on the line after the one it started on: one stray quote costs one row, not the
/// rest of the file.
struct CSVRecordReader: Sendable {
    let maxRecordBytes: Int
    private var pending = PendingBytes()
    /// The number of the line the unread bytes start on.
    private(set) var line = 1
    private var skipping = false
    private var checkedByteOrderMark = false

    init(maxRecordBytes: Int) {
        self.maxRecordBytes = maxRecordBytes
    }

    mutating func append(_ bytes: some Collection<UInt8>) { pending.append(bytes) }

    mutating func finish() { pending.finish() }

    /// The next record, or nil when more bytes are needed (or, once finished, at the end).
    mutating func next() -> ReadRecord<[String]>? {
        while true {
            if skipping {
                guard pending.skipRestOfLine() else { return nil }
                line += 1
                skipping = false
            }
            if !checkedByteOrderMark {
                guard pending.count >= 3 || pending.isFinished else { return nil }
                checkedByteOrderMark = true
                if pending.count >= 3, pending.bytes[pending.start..<pending.start + 3].elementsEqual([0xEF, 0xBB, 0xBF]) {
                    pending.consume(upTo: pending.start + 3)
                }
            }
            guard !pending.isEmpty else { return nil }
            let number = line
            switch CSVRecordParser.parse(pending.bytes, from: pending.start, isFinished: pending.isFinished) {
            case .needMore(let insideQuotes):
                guard pending.count > maxRecordBytes else { return nil }
                resumeAfterFirstLine()
                return .malformed(line: number, message: insideQuotes ? "has a quoted field that is not closed" : "is longer than \(maxRecordBytes) bytes")
            case .record(let fields, let end, let lines):
                let size = end - pending.start
                pending.consume(upTo: end)
                line += lines
                if fields.count == 1, fields[0].isEmpty { continue }
                if size > maxRecordBytes { return .malformed(line: number, message: "is longer than \(maxRecordBytes) bytes") }
                return .record(line: number, fields)
            case .malformed(let message):
                resumeAfterFirstLine()
                return .malformed(line: number, message: message)
            }
        }
    }

    /// Skips the line a malformed record started on; the lines after it are read afresh.
    private mutating func resumeAfterFirstLine() {
        if let newline = pending.newline(from: pending.start) {
            pending.consume(upTo: newline + 1)
            line += 1
        } else if pending.isFinished {
            pending.discardAll()
        } else {
            pending.discardAll()
            skipping = true
        }
    }
}

/// One record's worth of RFC 4180, parsed from a byte array.
enum CSVRecordParser {
    enum Outcome: Equatable {
        /// The record goes on beyond the bytes received.
        case needMore(insideQuotes: Bool)
        /// The record's fields, the index after its terminator and how many lines it spans.
        case record([String], end: Int, lines: Int)
        case malformed(String)
    }

    static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D

    static func parse(_ bytes: [UInt8], from start: Int, isFinished: Bool) -> Outcome {
        bytes.withUnsafeBufferPointer { parse($0, from: start, isFinished: isFinished) }
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, isFinished: Bool) -> Outcome {
        var index = start, lines = 1
        var fields: [String] = []
        var scratch: [UInt8] = []
        while true {
            if index < bytes.count, bytes[index] == quote {
                index += 1
                scratch.removeAll(keepingCapacity: true)
                while true {
                    guard index < bytes.count else { return isFinished ? .malformed("has a quoted field that is not closed") : .needMore(insideQuotes: true) }
                    let byte = bytes[index]
                    if byte == quote {
                        guard index + 1 < bytes.count else {
                            if isFinished { index += 1; break }
                            return .needMore(insideQuotes: true)
                        }
                        if bytes[index + 1] == quote {
                            scratch.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    if byte == newline { lines += 1 }
                    scratch.append(byte)
                    index += 1
                }
                guard let field = String(validating: scratch, as: UTF8.self) else { return .malformed("is not valid UTF-8") }
                fields.append(field)
                guard index < bytes.count else { return isFinished ? .record(fields, end: index, lines: lines) : .needMore(insideQuotes: false) }
                switch bytes[index] {
                case comma:
                    index += 1
                case newline:
                    return .record(fields, end: index + 1, lines: lines)
                case carriageReturn where index + 1 < bytes.count && bytes[index + 1] == newline:
                    return .record(fields, end: index + 2, lines: lines)
                case carriageReturn where index + 1 == bytes.count:
                    if isFinished { return .record(fields, end: index + 1, lines: lines) }
                    return .needMore(insideQuotes: false)
                default:
                    return .malformed("has text after a closing quote (a field with quotes must be quoted whole, its quotes doubled)")
                }
            } else {
                let fieldStart = index
                while index < bytes.count, bytes[index] != comma, bytes[index] != newline {
                    if bytes[index] == quote {
                        return .malformed("has a quote inside an unquoted field (quote the whole field and double its quotes)")
                    }
                    index += 1
                }
                if index == bytes.count, !isFinished { return .needMore(insideQuotes: false) }
                var fieldEnd = index
                if fieldEnd > fieldStart, bytes[fieldEnd - 1] == carriageReturn, index == bytes.count || bytes[index] == newline { fieldEnd -= 1 }
                guard let field = String(validating: UnsafeBufferPointer(rebasing: bytes[fieldStart..<fieldEnd]), as: UTF8.self) else {
                    return .malformed("is not valid UTF-8")
                }
                fields.append(field)
                if index == bytes.count { return .record(fields, end: index, lines: lines) }
                if bytes[index] == newline { return .record(fields, end: index + 1, lines: lines) }
                index += 1
            }
        }
    }
}

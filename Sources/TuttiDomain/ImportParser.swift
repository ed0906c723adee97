/// Turns the bytes of an import, as they arrive, into rows and per-row errors, holding no more
/// than one unfinished record: feed it with ``append(_:)``, take what is ready with
/// ``next()`` until it answers nil, and call ``finish()`` when the stream ends (then ``next()``
/// until nil once more).
///
/// Pure: the caller owns the stream, the database and the chunking.
public struct ImportParser: Sendable {
    public let format: ImportFormat
    public let defaultCountry: String?
    private var lines: NDJSONLineReader
    private var records: CSVRecordReader
    /// The CSV header, once read.
    public private(set) var header: CSVHeader?

    /// - Parameters:
    ///   - defaultCountry: how national phone numbers are read (the tenant's setting).
    ///   - maxRecordBytes: the longest line (NDJSON) or record (CSV) kept; longer ones are
    ///     reported and skipped. Default 1 MiB.
    public init(format: ImportFormat, defaultCountry: String?, maxRecordBytes: Int = 1 << 20) {
        self.format = format
        self.defaultCountry = defaultCountry
        self.lines = NDJSONLineReader(maxLineBytes: maxRecordBytes)
        self.records = CSVRecordReader(maxRecordBytes: maxRecordBytes)
    }

    /// The line the bytes not yet read into rows start on.
    public var line: Int {
        switch format {
        case .ndjson: lines.line
        case .csv: records.line
        }
    }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        switch format {
        case .ndjson: lines.append(bytes)
        case .csv: records.append(bytes)
        }
    }

    /// The stream has ended: a last record without a final newline is read as well.
    public mutating func finish() {
        switch format {
        case .ndjson: lines.finish()
        case .csv: records.finish()
        }
    }

    /// The next row or per-row error; nil when more bytes are needed (or after ``finish()``,
    /// at the end). Throws when a CSV's header cannot be read, since then no row can be.
    public mutating func next() throws(ImportHeaderError) -> ImportItem? {
        switch format {
        case .ndjson:
            switch lines.next() {
            case nil: return nil
            case .record(let line, let bytes)?: return NDJSONRow.item(line: line, bytes: bytes, defaultCountry: defaultCountry)
            case .malformed(let line, let message)?: return .invalid([ImportRowError(line: line, field: nil, message: message)])
            }
        case .csv:
            while true {
                switch records.next() {
                case nil:
                    return nil
                case .malformed(let line, let message)?:
                    guard header != nil else { throw ImportHeaderError([ImportRowError(line: line, field: nil, message: "The header row \(message).")]) }
                    return .invalid([ImportRowError(line: line, field: nil, message: message)])
                case .record(let line, let fields)?:
                    guard let header else {
                        header = try CSVHeader(fields: fields, line: line)
                        continue
                    }
                    return header.item(line: line, fields: fields, defaultCountry: defaultCountry)
                }
            }
        }
    }
}

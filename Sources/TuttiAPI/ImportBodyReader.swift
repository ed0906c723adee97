import Hummingbird
import NIOCore
import TuttiDomain

/// Reads an import's body as it arrives and hands out rows one at a time: the parser keeps at
/// most one unfinished record, and the body is not read further while the caller is busy
/// (writing a chunk), so the client's upload waits on TCP flow control instead of piling up in
/// memory.
struct ImportBodyReader<Body: AsyncSequence> where Body.Element == ByteBuffer {
    private var iterator: Body.AsyncIterator
    private(set) var parser: ImportParser
    let limit: Int
    private(set) var bytesRead = 0
    private var ended = false

    init(body: Body, parser: ImportParser, limit: Int) {
        self.iterator = body.makeAsyncIterator()
        self.parser = parser
        self.limit = limit
    }

    /// The next row or per-row error; nil at the end of the body. Throws ``ImportBodyFailure`` when the
    /// body cannot be read to its end, and `ImportHeaderError` when a CSV header is unusable.
    mutating func next() async throws -> ImportItem? {
        while true {
            if let item = try parser.next() { return item }
            if ended { return nil }
            let buffer: ByteBuffer?
            do {
                buffer = try await iterator.next()
            } catch {
                throw ImportBodyFailure.broken(error)
            }
            guard let buffer else {
                parser.finish()
                ended = true
                continue
            }
            bytesRead += buffer.readableBytes
            guard bytesRead <= limit else { throw ImportBodyFailure.tooLarge(limit: limit) }
            parser.append(buffer.readableBytesView)
        }
    }
}

/// Why an import's body could not be read to its end.
enum ImportBodyFailure: Error {
    /// The body went past the import limit; what came before was read.
    case tooLarge(limit: Int)
    /// The stream broke (the client went away, the connection dropped).
    case broken(any Error)
}

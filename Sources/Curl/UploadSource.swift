import CCurl

/// Hands an upload's bytes to libcurl's read callback, a chunk at a time.
///
/// Like ``ResponseCollector``, it travels as the callback's unretained `userdata`; the loop's
/// transfer table keeps it alive until the transfer ends.
final class UploadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Installs the read callback and the upload size on `handle`.
    func attach(to handle: CurlEasyHandle) throws(CurlTransportError) {
        try handle.set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(self).toOpaque())
        try handle.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(bytes.count))
        let status = ccurl_setopt_read_function(handle.raw) { buffer, size, count, userdata in
            let source = Unmanaged<UploadSource>.fromOpaque(userdata!).takeUnretainedValue()
            return source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
        }
        guard status == CURLE_OK else {
            throw CurlTransportError(code: .other, message: "installing the libcurl read callback failed")
        }
    }

    private func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let length = min(buffer.count, bytes.count - offset)
        guard length > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + length]))
        }
        offset += length
        return length
    }
}

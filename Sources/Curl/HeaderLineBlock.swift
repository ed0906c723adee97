import CCurl

/// One request header line as libcurl takes it: `name`, `separator`, `value`. A separator of
/// ": " sends the field; ";" with an empty value sends it empty; ":" with an empty value
/// removes a header libcurl would add itself.
struct HeaderLine {
    var name: String
    var separator: StaticString
    var value: String
}

/// A `curl_slist` of header lines built in one allocation: the nodes first, then the
/// NUL-terminated lines they point at.
///
/// libcurl only reads a header list and leaves freeing it to us, so the list need not come from
/// `curl_slist_append`, which allocates twice per line (node and copy) after the line itself
/// was assembled as a Swift string: about twenty allocations per webhook, on the transfer
/// thread that every request of a lane goes through.
enum HeaderLineBlock {
    /// The block for `lines` and its first node (nil for no lines); the caller frees the block
    /// with `deallocate()` once libcurl is done with the request.
    static func make(_ lines: [HeaderLine]) -> (block: UnsafeMutableRawPointer, first: UnsafeMutablePointer<curl_slist>?) {
        let nodeBytes = MemoryLayout<curl_slist>.stride * lines.count
        var textBytes = 0
        for line in lines { textBytes += line.name.utf8.count + line.separator.utf8CodeUnitCount + line.value.utf8.count + 1 }
        let block = UnsafeMutableRawPointer.allocate(byteCount: max(1, nodeBytes + textBytes), alignment: MemoryLayout<curl_slist>.alignment)
        guard !lines.isEmpty else { return (block, nil) }
        let nodes = block.bindMemory(to: curl_slist.self, capacity: lines.count)
        var text = (block + nodeBytes).bindMemory(to: CChar.self, capacity: textBytes)
        for (index, line) in lines.enumerated() {
            let start = text
            append(line.name, at: &text)
            UnsafeMutableRawPointer(text).copyMemory(from: line.separator.utf8Start, byteCount: line.separator.utf8CodeUnitCount)
            text += line.separator.utf8CodeUnitCount
            append(line.value, at: &text)
            text.pointee = 0
            text += 1
            (nodes + index).initialize(to: curl_slist(data: start, next: index + 1 < lines.count ? nodes + index + 1 : nil))
        }
        return (block, nodes)
    }

    /// Copies the UTF-8 of `string` to `text` and moves `text` past it: one copy of the
    /// string's contiguous storage rather than a loop over its bytes.
    private static func append(_ string: String, at text: inout UnsafeMutablePointer<CChar>) {
        var string = string
        let count = string.withUTF8 { bytes in
            if let base = bytes.baseAddress { UnsafeMutableRawPointer(text).copyMemory(from: base, byteCount: bytes.count) }
            return bytes.count
        }
        text += count
    }
}

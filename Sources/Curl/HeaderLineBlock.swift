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
            for byte in line.name.utf8 { text.pointee = CChar(bitPattern: byte); text += 1 }
            let separator = UnsafeBufferPointer(start: line.separator.utf8Start, count: line.separator.utf8CodeUnitCount)
            for byte in separator { text.pointee = CChar(bitPattern: byte); text += 1 }
            for byte in line.value.utf8 { text.pointee = CChar(bitPattern: byte); text += 1 }
            text.pointee = 0
            text += 1
            (nodes + index).initialize(to: curl_slist(data: start, next: index + 1 < lines.count ? nodes + index + 1 : nil))
        }
        return (block, nodes)
    }
}

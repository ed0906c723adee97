extension HTTPHeaders {
    /// Parses a raw HTTP/1.x-style header block (status line, `name: value`
    /// lines, folded continuation lines), which is how libcurl reports
    /// headers for every HTTP version. Works on bytes because it runs for
    /// every response.
    init(parsingHeaderBlock block: [UInt8]) {
        self.init()
        for line in block.split(separator: UInt8(ascii: "\n")) {
            let line = line.trimmingHeaderWhitespace(leading: false)
            guard let first = line.first, !line.starts(with: "HTTP/".utf8) else { continue }
            if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                // obs-fold: a continuation of the previous field's value.
                appendToLastValue(" " + String(decoding: line.trimmingHeaderWhitespace(leading: true), as: UTF8.self))
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                let name = line[..<colon].map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
                let value = line[(colon + 1)...].trimmingHeaderWhitespace(leading: true)
                append(Field(lowercasedName: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
            }
        }
    }
}

extension ArraySlice<UInt8> {
    /// Drops trailing CR, spaces and tabs, and leading spaces and tabs if asked.
    fileprivate func trimmingHeaderWhitespace(leading: Bool) -> ArraySlice<UInt8> {
        var slice = self
        while let last = slice.last, last == 13 || last == 32 || last == 9 { slice.removeLast() }
        while leading, let first = slice.first, first == 32 || first == 9 { slice.removeFirst() }
        return slice
    }
}

/// The mail server's answer to the end of a message it accepted.
public struct SMTPReply: Sendable, Hashable {
    /// The reply code, 250 when the message was queued.
    public var code: Int
    /// The reply's text after the code, e.g. `2.0.0 Ok: queued as 4Bf2Jk0Zx`; many servers
    /// name their queue id here, which is the closest SMTP has to a provider message id.
    public var text: String
    /// Every line the server sent during the session, for diagnostics (no credentials: `AUTH`
    /// lines are ours, not the server's).
    public var transcript: [String]

    /// Creates a reply; the transport does this, tests of callers may too.
    public init(code: Int, text: String, transcript: [String] = []) {
        self.code = code
        self.text = text
        self.transcript = transcript
    }
}

extension SMTPReply {
    /// Reads the server's lines as libcurl passed them to the header callback. The reply to
    /// the message is the first final line (three digits and a space) after the 354 that
    /// invited the data; a `221 Bye` may follow when the connection is closed afterwards.
    init(code: Int, block: [UInt8]) {
        let lines = String(decoding: block, as: UTF8.self)
            .split(whereSeparator: \.isNewline)
            .map(String.init)
        let isFinal = { (line: String) in line.count >= 4 && line.prefix(3).allSatisfy(\.isNumber) && line.dropFirst(3).first == " " }
        let afterData = lines.lastIndex { $0.hasPrefix("354") }.map { lines[($0 + 1)...] } ?? lines[...]
        let reply = afterData.first(where: isFinal) ?? lines.last(where: isFinal)
        self.init(code: reply.flatMap { Int($0.prefix(3)) } ?? code, text: reply.map { String($0.dropFirst(4)) } ?? "", transcript: lines)
    }
}

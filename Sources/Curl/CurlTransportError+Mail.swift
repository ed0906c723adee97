extension CurlTransportError {
    /// Turns a failed SMTP session into ``Code/rejected`` when the server answered with a
    /// refusal, keeping its reply code and last line.
    ///
    /// libcurl reports every refusal as a generic send error or "weird server reply", which
    /// would read as network trouble; the reply code it leaves in `CURLINFO_RESPONSE_CODE` is
    /// what tells a full mailbox (452, try later) from an unknown user (550, give up).
    mutating func classifyMailRefusal(replyCode: Int, transcript: [UInt8]) {
        guard replyCode >= 400, replyCode < 600, code != .tls, code != .timeout else { return }
        // The refusal's own line, not a "221 Bye" that may follow it.
        let lines = SMTPReply(code: replyCode, block: transcript).transcript
        code = .rejected
        self.replyCode = replyCode
        if let line = lines.last(where: { $0.hasPrefix("\(replyCode) ") }) { message += ": \(line)" }
    }
}

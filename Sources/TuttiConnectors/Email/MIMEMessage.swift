import Foundation

/// Renders a ``MailComposition`` as an RFC 5322 message: headers, then
/// `multipart/alternative` with a text and an html part (or the one part there is), both
/// UTF-8 and quoted-printable.
enum MIMEMessage {
    static func render(_ mail: MailComposition, date: Date) -> [UInt8] {
        var lines: [String] = [
            "Message-ID: \(mail.messageID)",
            "Date: \(rfc5322Date(date))",
            "From: \(EncodedWord.mailbox(mail.fromAddress, name: mail.fromName))",
            "To: <\(mail.to)>",
        ]
        if let replyTo = mail.replyTo { lines.append("Reply-To: <\(replyTo)>") }
        lines.append("Subject: \(EncodedWord.encode(mail.subject))")
        // Folded after each comma: two links easily pass the 78 characters RFC 5322 asks for.
        for header in mail.unsubscribeHeaders { lines.append("\(header.name): \(header.value.replacingOccurrences(of: ", ", with: ",\r\n "))") }
        lines.append("MIME-Version: 1.0")

        let parts = [("text/plain", mail.text), ("text/html", mail.html)].compactMap { type, body in body.map { (type, $0) } }
        if parts.count == 1, let (type, body) = parts.first {
            lines += partHeaders(type) + ["", QuotedPrintable.encode(body)]
        } else {
            // "=_" cannot occur in quoted-printable text (a literal "=" is always =3D), so
            // the boundary can never collide with a body line.
            let boundary = "=_tutti_" + mail.messageID.filter { $0.isLetter || $0.isNumber }.prefix(32)
            lines += ["Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"", ""]
            for (type, body) in parts {
                lines += ["--\(boundary)"] + partHeaders(type) + ["", QuotedPrintable.encode(body)]
            }
            lines.append("--\(boundary)--")
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    private static func partHeaders(_ type: String) -> [String] {
        ["Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: quoted-printable"]
    }

    /// e.g. `Tue, 15 Nov 1994 08:12:31 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}

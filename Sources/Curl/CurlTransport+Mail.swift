extension CurlTransport {
    /// Submits one mail over SMTP and returns the server's reply to the end of the data.
    ///
    /// Runs on the same thread and multi handle as ``send(_:)``, so SMTP connections are kept
    /// and reused like HTTP ones. Throws ``CurlTransportError/Code/rejected`` (with the reply
    /// code) when the server refuses the sender, a recipient, the authentication or the
    /// message; the other codes mean the same as for HTTP. Cancelling the calling task
    /// abandons the session.
    public func sendMail(_ message: SMTPMessage) async throws(CurlTransportError) -> SMTPReply {
        let driver = self.driver
        let id = driver.makeID()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                driver.submit(.init(id: id, exchange: .mail(message), continuation: continuation))
            }
        } onCancel: {
            driver.cancel(id)
        }
        let exchange = try result.get()
        return SMTPReply(code: exchange.status, block: exchange.headerBlock)
    }
}

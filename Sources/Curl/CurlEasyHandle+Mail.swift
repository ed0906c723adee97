import CCurl

extension CurlEasyHandle {
    /// Sets every option one SMTP submission needs, on a handle reset first if it kept a POST's;
    /// `protocols` is the allowed subset of smtp and smtps in libcurl's syntax.
    func prepare(
        for message: SMTPMessage,
        configuration: CurlTransport.Configuration,
        protocols: String,
        collector: ResponseCollector,
        upload: UploadSource
    ) throws(CurlTransportError) {
        if postProfile != nil { reset() }
        try prepareConnection(
            url: message.url, configuration: configuration, protocols: protocols, collector: collector,
            connectTimeout: message.connectTimeout, timeout: message.timeout, caFile: configuration.caFile,
            caCertificates: message.caCertificates)
        if message.requireTLS {
            try set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        } else if message.url.lowercased().hasPrefix("smtp:") {
            // libcurl (7.88, measured) hands a cached plain connection to a later mail that
            // asks for STARTTLS, which would then go out unencrypted. Plain sessions are
            // therefore never cached; upgraded and smtps ones are, and may be reused.
            try set(CURLOPT_FORBID_REUSE, 1)
        }
        if let credentials = message.credentials {
            try set(CURLOPT_USERNAME, credentials.username)
            try set(CURLOPT_PASSWORD, credentials.password)
        }
        try set(CURLOPT_MAIL_FROM, "<\(message.from)>")
        try setList(CURLOPT_MAIL_RCPT, message.recipients.map { "<\($0)>" })
        try set(CURLOPT_UPLOAD, 1)
        try upload.attach(to: self)
    }
}

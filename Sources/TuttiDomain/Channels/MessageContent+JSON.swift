extension MessageContent {
    /// The content as it is stored and shown: a JSON object with the parts that are present.
    public var jsonObject: [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        object["subject"] = subject.map(JSONValue.string)
        object["text"] = text.map(JSONValue.string)
        object["html"] = html.map(JSONValue.string)
        object["data"] = data
        return object
    }

    /// The content from its stored object; keys other than `subject`, `text`, `html` and
    /// `data` are ignored.
    public init(jsonObject object: [String: JSONValue]) {
        self.init(
            subject: object["subject"]?.stringValue, text: object["text"]?.stringValue, html: object["html"]?.stringValue,
            data: object["data"])
    }

    /// True when no part is present: nothing to send.
    public var isEmpty: Bool { subject == nil && text == nil && html == nil && data == nil }
}

import Foundation
import TuttiDomain

/// A preview: the rendered parts of one channel for one customer, the locale chosen, and for
/// an SMS its encoding and segments.
struct TemplatePreviewResource: Encodable, Sendable {
    var templateID: String
    var version: Int
    var customerID: String
    var messageID: String
    var rendered: RenderedMessage

    enum CodingKeys: String, CodingKey {
        case templateID = "template_id"
        case version
        case customerID = "customer_id"
        case messageID = "message_id"
        case channel, locale, parts, sms, warnings
    }

    enum PartKeys: String, CodingKey {
        case subject, preheader, html, text, title, body, url, data
    }

    enum SMSKeys: String, CodingKey {
        case encoding, segments
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(templateID, forKey: .templateID)
        try container.encode(version, forKey: .version)
        try container.encode(customerID, forKey: .customerID)
        try container.encode(messageID, forKey: .messageID)
        try container.encode(rendered.channel.rawValue, forKey: .channel)
        try container.encode(rendered.locale, forKey: .locale)
        try container.encode(rendered.warnings.map(TemplateWarningResource.init), forKey: .warnings)
        var parts = container.nestedContainer(keyedBy: PartKeys.self, forKey: .parts)
        switch rendered.parts {
        case .email(let subject, let preheader, let html, let text):
            try parts.encodeIfPresent(subject, forKey: .subject)
            try parts.encodeIfPresent(preheader, forKey: .preheader)
            try parts.encodeIfPresent(html, forKey: .html)
            try parts.encodeIfPresent(text, forKey: .text)
        case .sms(let text, let segments):
            try parts.encode(text, forKey: .text)
            var sms = container.nestedContainer(keyedBy: SMSKeys.self, forKey: .sms)
            try sms.encode(segments.encoding.rawValue, forKey: .encoding)
            try sms.encode(segments.count, forKey: .segments)
        case .social(let text):
            try parts.encode(text, forKey: .text)
        case .push(let title, let body, let url):
            try parts.encodeIfPresent(title, forKey: .title)
            try parts.encodeIfPresent(body, forKey: .body)
            try parts.encodeIfPresent(url, forKey: .url)
        case .webhook(let data):
            try parts.encode(data, forKey: .data)
        }
    }
}

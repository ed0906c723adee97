import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

@Suite("Template previews")
struct TemplatePreviewTests {
    @Test func everyChannelRendersAndOnlyHTMLIsEscaped() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let customer = try await client.customer(
                tenant, identities: [("email", "ob@example.com")], attributes: #"{"company": "O'Brien & Sons"}"#)
            let id = try #require(try await client.template(tenant, everyChannelTemplate)["id"] as? String)

            let email = try await client.rendered(tenant, id, customer: customer, channel: "email")
            #expect(email.part("html") == "<p>O&#39;Brien &amp; Sons</p>")
            #expect(email.part("subject") == "For O'Brien & Sons")
            #expect(email.part("text") == "O'Brien & Sons", "text derived from the HTML, decoded")
            #expect(email["customer_id"] as? String == customer)
            #expect((email["message_id"] as? String).flatMap(UUID.init(uuidString:)) != nil)
            #expect(email["sms"] == nil)

            let sms = try await client.rendered(tenant, id, customer: customer, channel: "sms")
            #expect(sms.part("text") == "Hi O'Brien & Sons")
            let push = try await client.rendered(tenant, id, customer: customer, channel: "push")
            #expect(push.part("title") == "O'Brien & Sons")
            #expect(push.part("url") == "https://shop.example/\(customer)")
            let social = try await client.rendered(tenant, id, customer: customer, channel: "social")
            #expect(social.part("text") == "O'Brien & Sons on social")
            let webhook = try await client.rendered(tenant, id, customer: customer, channel: "webhook")
            let data = try #require((webhook["parts"] as? [String: Any])?["data"] as? [String: Any])
            #expect(data["company"] as? String == "O'Brien & Sons")
            #expect(data["count"] as? Int == 3)
            #expect(data["tags"] as? [String] == ["ob@example.com"])
        }
    }

    @Test func theLocaleFallsBackFromTheCustomersRegionToItsLanguageToTheDefault() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let id = try #require(
                try await client.template(
                    tenant,
                    #"{"name": "L", "parts": {"sms": {"text": "Hello"}}, "locales": {"de": {"parts": {"sms": {"text": "Hallo"}}}, "de-CH": {"parts": {"sms": {"text": "Grüezi"}}}}}"#
                )["id"] as? String)
            let austrian = try await client.customer(
                tenant, identities: [("email", "at@example.com")], attributes: #"{"locale": "de_AT"}"#)
            let swiss = try await client.customer(
                tenant, identities: [("email", "ch@example.com")], attributes: #"{"locale": "de-CH"}"#)
            let french = try await client.customer(
                tenant, identities: [("email", "fr@example.com")], attributes: #"{"locale": "fr-FR"}"#)
            let none = try await client.customer(tenant, identities: [("email", "no@example.com")])

            let at = try await client.rendered(tenant, id, customer: austrian, channel: "sms")
            #expect(at.part("text") == "Hallo" && at["locale"] as? String == "de")
            let ch = try await client.rendered(tenant, id, customer: swiss, channel: "sms")
            #expect(ch.part("text") == "Grüezi" && ch["locale"] as? String == "de-CH")
            let fr = try await client.rendered(tenant, id, customer: french, channel: "sms")
            #expect(fr.part("text") == "Hello" && fr["locale"] as? String == "en")
            let plain = try await client.rendered(tenant, id, customer: none, channel: "sms")
            #expect(plain.part("text") == "Hello")
            let explicit = try await client.rendered(tenant, id, customer: french, channel: "sms", extra: #", "locale": "de-DE""#)
            #expect(explicit.part("text") == "Hallo", "an explicit locale wins over the customer's")
        }
    }

    @Test(arguments: [
        (String(repeating: "a", count: 160), "GSM-7", 1),
        (String(repeating: "a", count: 161), "GSM-7", 2),
        (String(repeating: "€", count: 80), "GSM-7", 1),
        (String(repeating: "€", count: 81), "GSM-7", 2),
        (String(repeating: "é", count: 160), "GSM-7", 1),
        (String(repeating: "ç", count: 70), "UCS-2", 1),
        (String(repeating: "ç", count: 71), "UCS-2", 2),
    ])
    func anSMSPreviewGivesItsEncodingAndSegments(text: String, encoding: String, segments: Int) async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let customer = try await client.customer(
                tenant, identities: [("phone", "+33612345678")], attributes: #"{"text": "\#(text)"}"#)
            let id = try #require(
                try await client.template(tenant, #"{"name": "S", "parts": {"sms": {"text": "{{customer.attributes.text}}"}}}"#)[
                    "id"]
                    as? String)
            let sms = try await client.rendered(tenant, id, customer: customer, channel: "sms")
            #expect(sms.part("text") == text)
            let figures = try #require(sms["sms"] as? [String: Any])
            #expect(figures["encoding"] as? String == encoding)
            #expect(figures["segments"] as? Int == segments)
            #expect((sms["warnings"] as? [Any])?.isEmpty == true, "3 segments at most by default")
        }
    }

    @Test func anSMSAboveTheTenantsLimitPreviewsWithAWarning() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            _ = try await client.send(.patch, "/v1/tenant", tenant, json: #"{"sms_segment_limit": 1}"#)
            let customer = try await client.customer(
                tenant, identities: [("phone", "+33612345678")],
                attributes: #"{"text": "\#(String(repeating: "b", count: 200))"}"#)
            let id = try #require(
                try await client.template(tenant, #"{"name": "S", "parts": {"sms": {"text": "{{customer.attributes.text}}"}}}"#)[
                    "id"]
                    as? String)
            let sms = try await client.rendered(tenant, id, customer: customer, channel: "sms")
            let warnings = sms["warnings"] as? [[String: Any]] ?? []
            #expect(warnings.count == 1 && warnings.first?["part"] as? String == "sms.text", "\(warnings)")
        }
    }

    @Test func conditionsAreEvaluatedForTheCustomer() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let gold = try await client.customer(
                tenant, identities: [("email", "g@example.com")], attributes: #"{"plan": "gold"}"#)
            let basic = try await client.customer(
                tenant, identities: [("email", "b@example.com")], attributes: #"{"plan": "basic"}"#)
            let id = try #require(
                try await client.template(
                    tenant,
                    #"{"name": "C", "parts": {"sms": {"text": "{{#conditions.gold}}Gold{{/conditions.gold}}{{^conditions.gold}}Basic{{/conditions.gold}}"}}, "conditions": {"gold": "attributes.plan = \"gold\""}}"#
                )["id"] as? String)
            #expect(try await client.rendered(tenant, id, customer: gold, channel: "sms").part("text") == "Gold")
            #expect(try await client.rendered(tenant, id, customer: basic, channel: "sms").part("text") == "Basic")
        }
    }

    @Test func anOfferGivesItsFieldsAndTheCreativeOfTheChannelRendered() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let customer = try await client.customer(
                tenant, identities: [("email", "o@example.com")], attributes: #"{"first_name": "Ada"}"#)
            let offer = try await client.offer(
                tenant,
                #"{"code": "SPRING", "name": "Spring", "value": 10, "currency": "EUR", "creative": {"email": {"headline": "Spring for {{customer.attributes.first_name}}"}, "sms": {"headline": "SMS spring"}}}"#
            )
            let id = try #require(
                try await client.template(
                    tenant,
                    #"{"name": "O", "parts": {"email": {"html": "{{offer.creative.headline}} {{offer.code}} {{offer.value}} {{offer.currency}}"}, "sms": {"text": "{{offer.creative.headline}}"}}}"#
                )["id"] as? String)
            let email = try await client.rendered(
                tenant, id, customer: customer, channel: "email", extra: #", "offer_id": "\#(offer)""#)
            #expect(email.part("html") == "Spring for Ada SPRING 10 EUR")
            let sms = try await client.rendered(
                tenant, id, customer: customer, channel: "sms", extra: #", "offer_id": "\#(offer)""#)
            #expect(sms.part("text") == "SMS spring")
            let (status, problem) = try await client.preview(
                tenant, id, #"{"customer_id": "\#(customer)", "channel": "sms", "offer_id": "\#(UUID().uuidString)"}"#)
            #expect(status == .unprocessableContent && problem["type"] as? String == "urn:tutti:problem:unknown-offer")
        }
    }

    @Test func anEarlierVersionCanBePreviewed() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let customer = try await client.customer(tenant, identities: [("email", "v@example.com")])
            let id = try #require(try await client.template(tenant, TemplateRouteTests.v1)["id"] as? String)
            _ = try await client.send(.put, "/v1/templates/\(id)", tenant, json: TemplateRouteTests.v2)
            let current = try await client.rendered(tenant, id, customer: customer, channel: "sms")
            #expect(current.part("text") == "Spring sale: 10% off" && current["version"] as? Int == 2)
            let first = try await client.rendered(tenant, id, customer: customer, channel: "sms", extra: #", "version": 1"#)
            #expect(first.part("text") == "Spring is here" && first["version"] as? Int == 1)
            let (status, _) = try await client.preview(
                tenant, id, #"{"customer_id": "\#(customer)", "channel": "sms", "version": 9}"#)
            #expect(status == .unprocessableContent)
        }
    }

    @Test func aPreviewIsRefusedForAnUnknownCustomerOrAChannelWithoutAPart() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let customer = try await client.customer(tenant, identities: [("email", "p@example.com")])
            let id = try #require(try await client.template(tenant, TemplateRouteTests.v1)["id"] as? String)
            let (unknown, problem) = try await client.preview(
                tenant, id, #"{"customer_id": "\#(UUID().uuidString)", "channel": "sms"}"#)
            #expect(unknown == .unprocessableContent && problem["type"] as? String == "urn:tutti:problem:unknown-customer")
            let (noPart, missing) = try await client.preview(tenant, id, #"{"customer_id": "\#(customer)", "channel": "email"}"#)
            #expect(noPart == .unprocessableContent && missing["type"] as? String == "urn:tutti:problem:template-part-missing")
            let (nowhere, _) = try await client.preview(
                tenant, UUID().uuidString, #"{"customer_id": "\#(customer)", "channel": "sms"}"#)
            #expect(nowhere == .notFound)
        }
    }
}

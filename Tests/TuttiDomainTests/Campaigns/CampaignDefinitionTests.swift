import Foundation
import Testing
import TuttiDomain

@Suite("Campaign definitions")
struct CampaignDefinitionTests {
    static let template = "0191c3e2-0000-7000-8000-000000000001"
    static let email = "0191c3e2-0000-7000-8000-000000000002"
    static let sms = "0191c3e2-0000-7000-8000-000000000003"
    static let segment = "0191c3e2-0000-7000-8000-000000000004"
    static let offer = "0191c3e2-0000-7000-8000-000000000005"

    static func parse(_ text: String) throws(ValidationErrors) -> CampaignDefinition {
        try CampaignDefinition(json: JSONValue.parse(text) ?? .null)
    }

    static func errors(_ text: String) -> [String: String] {
        do throws(ValidationErrors) {
            _ = try parse(text)
            return [:]
        } catch {
            return Dictionary(error.errors.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
        }
    }

    static let minimal = """
        {"name": "Spring", "audience": {"segment_id": "\(segment)"}, "template_id": "\(template)",
         "channels": ["\(email)", "\(sms)"], "schedule": {"type": "now"}}
        """

    @Test func theIssuesShapeRoundTripsThroughItsJSON() throws {
        let full = try Self.parse(
            """
            {"name": " Spring sale ", "audience": {"rule": "attributes.plan = \\"gold\\""}, "template_id": "\(Self.template)",
             "channels": ["\(Self.email.uppercased())", "\(Self.sms)"],
             "offers": {"offer_ids": ["\(Self.offer)"], "mode": "fixed", "required": true},
             "schedule": {"type": "recurring", "cron": "0 9 * * MON", "time_zone": "Europe/Berlin"},
             "throttle_per_second": 50, "holdout_percent": 2.5, "expires_after": "2 days"}
            """)
        #expect(full.name == "Spring sale")
        #expect(full.audience == .rule(.string(#"attributes.plan = "gold""#)))
        #expect(full.channelIDs.map(\.canonicalText) == [Self.email, Self.sms], "ids keep their order, in lower case")
        #expect(full.offers == .init(offerIDs: [UUID(uuidString: Self.offer)!], mode: .fixed, required: true))
        #expect(full.throttlePerSecond == 50 && full.holdoutPercent == 2.5 && full.expiresAfter?.seconds == 172_800)
        #expect(try CampaignDefinition(json: full.json) == full)
        let decoded = try JSONDecoder().decode(CampaignDefinition.self, from: JSONEncoder().encode(full))
        #expect(decoded == full)
    }

    @Test func optionalMembersAreLeftOutAndTakeTheirDefaults() throws {
        let minimal = try Self.parse(Self.minimal)
        #expect(minimal.offers == nil && minimal.throttlePerSecond == nil && minimal.holdoutPercent == nil)
        #expect(minimal.expiresAfter == nil && CampaignDefinition.defaultExpiresAfter.seconds == 86_400)
        #expect(minimal.json.objectValue?.keys.sorted() == ["audience", "channels", "name", "schedule", "template_id"])
        let offers = try Self.parse(
            Self.minimal.replacingOccurrences(of: "\"schedule\"", with: #""offers": {"offer_ids": []}, "schedule""#))
        #expect(offers.offers == .init(offerIDs: [], mode: .arbitrate, required: false))
    }

    @Test func everyMissingMemberIsNamedAtOnce() {
        let errors = Self.errors("{}")
        #expect(Set(errors.keys) == ["name", "audience", "template_id", "channels", "schedule"])
        #expect(errors["audience"]?.contains("segment_id") == true)
        #expect(Self.errors("[]").keys.sorted() == [""])
    }

    @Test(arguments: [
        (#""holdout_pct": 5"#, "holdout_pct", "is not a member"),
        (#""throttle_per_second": 0"#, "throttle_per_second", "from 1 to 100000"),
        (#""throttle_per_second": 2.5"#, "throttle_per_second", "whole number"),
        (#""holdout_percent": 100.5"#, "holdout_percent", "from 0 to 100"),
        (#""holdout_percent": 1.234"#, "holdout_percent", "two decimals"),
        (#""holdout_percent": "5""#, "holdout_percent", "a number"),
        (#""expires_after": "PT24H""#, "expires_after", "24 hours"),
        (#""expires_after": "400 days""#, "expires_after", "366 days"),
        (#""offers": {"offer_ids": [], "required": true}"#, "offers.offer_ids", "at least one"),
        (#""offers": {"offer_ids": ["x"]}"#, "offers.offer_ids[0]", "offer id"),
        (#""offers": {"offer_ids": [], "mode": "best"}"#, "offers.mode", "arbitrate"),
        (#""offers": {"offer_ids": [], "limit": 1}"#, "offers.limit", "not a member"),
    ])
    func eachBadOptionalMemberSaysWhatToWrite(member: String, field: String, hint: String) {
        let text = Self.minimal.replacingOccurrences(of: "\"schedule\"", with: "\(member), \"schedule\"")
        let errors = Self.errors(text)
        #expect(errors.count == 1, "\(errors)")
        #expect(errors[field]?.contains(hint) == true, "\(field): \(errors)")
    }

    @Test func audiencesChannelsAndSchedulesAreChecked() {
        func errors(replacing old: String, with new: String) -> [String: String] {
            Self.errors(Self.minimal.replacingOccurrences(of: old, with: new))
        }
        let both = errors(replacing: #"{"segment_id""#, with: #"{"rule": "attributes.x = 1", "segment_id""#)
        #expect(both["audience"]?.contains("not both") == true)
        #expect(errors(replacing: #"{"segment_id": "\#(Self.segment)"}"#, with: #"{"rule": "  "}"#)["audience.rule"] != nil)
        #expect(errors(replacing: #""segment_id": "\#(Self.segment)""#, with: #""segment_id": 7"#)["audience.segment_id"] != nil)
        #expect(errors(replacing: #"["\#(Self.email)", "\#(Self.sms)"]"#, with: "[]")["channels"]?.contains("1 to 10") == true)
        let twice = errors(replacing: #""\#(Self.sms)""#, with: #""\#(Self.email)""#)
        #expect(twice["channels[1]"]?.contains("second time") == true)
        #expect(errors(replacing: #""now""#, with: #""soon""#)["schedule.type"]?.contains("now, at, local, recurring") == true)
        #expect(errors(replacing: #""name": "Spring""#, with: #""name": "  ""#)["name"] == "must not be empty")
    }

    @Test func aPatchReplacesGivenMembersAndNullRemovesThem() throws {
        let stored = try Self.parse(
            Self.minimal.replacingOccurrences(of: "\"schedule\"", with: #""holdout_percent": 10, "schedule""#))
        let patched = try stored.patched(with: ["name": .string("Summer"), "holdout_percent": .null])
        #expect(patched.name == "Summer" && patched.holdoutPercent == nil && patched.channelIDs == stored.channelIDs)
        #expect(throws: ValidationErrors.self) { try stored.patched(with: ["template_id": .null]) }
        #expect(throws: ValidationErrors.self) { try stored.patched(with: ["colour": .string("red")]) }
    }

    @Test func aCopyIsNamedAsOneWithinTheNamesLength() throws {
        #expect(try Self.parse(Self.minimal).copy.name == "Spring (copy)")
        var long = try Self.parse(Self.minimal)
        long.name = String(repeating: "x", count: 200)
        #expect(long.copy.name.count == 200 && long.copy.name.hasSuffix("x (copy)"))
    }
}

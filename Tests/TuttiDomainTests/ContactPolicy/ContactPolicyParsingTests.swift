import Foundation
import Testing
import TuttiDomain

/// The document of PUT /v1/contact-policy: what is accepted, and what each refusal names.
@Suite("Contact policy parsing")
struct ContactPolicyParsingTests {
    func parse(_ text: String) throws(ValidationErrors) -> ContactPolicy { try ContactPolicy(json: JSONValue.parse(text)!) }

    func fields(_ text: String) -> [String] {
        do {
            _ = try parse(text)
            return []
        } catch { return error.errors.map(\.field) }
    }

    @Test("The issue's example is accepted and given back as written")
    func example() throws {
        let policy = try parse(
            #"{"caps": [{"channels": "all", "max": 3, "per": "7 days"}, {"channels": ["sms"], "max": 1, "per": "1 day"}],"#
                + #" "quiet_hours": {"start": "21:00", "end": "08:00", "channels": ["sms", "email"], "action": "defer"}}"#)
        #expect(policy.caps.count == 2)
        #expect(policy.caps[0].per.seconds == 7 * 86_400)
        #expect(policy.caps[1].channels.channelTypes == ["sns", "twilio"])
        #expect(policy.quietHours?.channels.channelTypes == ["sendgrid", "ses", "smtp", "sns", "twilio"])
        #expect(try ContactPolicy(json: policy.json) == policy)
        #expect(
            policy.json.objectValue?["caps"]
                == JSONValue.parse(
                    #"[{"channels": "all", "max": 3, "per": "7 days"}, {"channels": ["sms"], "max": 1, "per": "1 day"}]"#))
    }

    @Test("Quiet hours default to every channel and to defer")
    func defaults() throws {
        let policy = try parse(#"{"quiet_hours": {"start": "22:00", "end": "07:30"}}"#)
        #expect(policy.quietHours?.channels == .all)
        #expect(policy.quietHours?.action == .defer)
        #expect(policy.caps.isEmpty)
        #expect(try parse(#"{"caps": [], "quiet_hours": null}"#).isEmpty)
    }

    @Test("Each wrong value is refused with its own field")
    func refusals() {
        #expect(fields(#"{"caps": [{"channels": "all", "max": 0, "per": "1 day"}]}"#) == ["caps[0].max"])
        #expect(fields(#"{"caps": [{"channels": "all", "max": 1.5, "per": "1 day"}]}"#) == ["caps[0].max"])
        #expect(fields(#"{"caps": [{"channels": "all", "max": 1, "per": "2 fortnights"}]}"#) == ["caps[0].per"])
        #expect(fields(#"{"caps": [{"channels": "all", "max": 1, "per": "1000 days"}]}"#) == ["caps[0].per"])
        #expect(fields(#"{"caps": [{"channels": "all", "max": 1, "per": "0 days"}]}"#) == ["caps[0].per"])
        #expect(fields(#"{"caps": [{"channels": "all", "max": 1, "per": "07 days"}]}"#) == ["caps[0].per"])
        #expect(fields(#"{"caps": [{"channels": ["fax"], "max": 1, "per": "1 day"}]}"#) == ["caps[0].channels"])
        #expect(fields(#"{"caps": [{"channels": [], "max": 1, "per": "1 day"}]}"#) == ["caps[0].channels"])
        #expect(fields(#"{"caps": [{"channels": ["sms", "sms"], "max": 1, "per": "1 day"}]}"#) == ["caps[0].channels"])
        #expect(fields(#"{"caps": [{"max": 1, "per": "1 day", "every": 2}]}"#) == ["caps[0].every", "caps[0].channels"])
        #expect(fields(#"{"caps": {"max": 1}}"#) == ["caps"])
        #expect(fields(#"{"quiet_hours": {"start": "25:00", "end": "8:00"}}"#) == ["quiet_hours.start", "quiet_hours.end"])
        #expect(fields(#"{"quiet_hours": {"start": "08:00", "end": "08:00"}}"#) == ["quiet_hours.end"])
        #expect(fields(#"{"quiet_hours": {"start": "21:00", "end": "08:00", "action": "later"}}"#) == ["quiet_hours.action"])
        #expect(fields(#"{"quiet_hours": "21-08"}"#) == ["quiet_hours"])
        #expect(fields(#"{"limits": []}"#) == ["limits"])
        #expect(fields(#"[]"#) == [""])
    }
}

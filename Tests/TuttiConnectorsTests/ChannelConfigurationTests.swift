import Testing
import TuttiDomain

@Suite("Channel configurations")
struct ChannelConfigurationTests {
    @Test func everyProblemIsReportedWithItsField() {
        #expect {
            try ChannelConfiguration(type: .webhook, fields: ["url": "ftp://x", "secret": "plain", "colour": "red"])
        } throws: { error in
            let fields = (error as? ChannelConfigurationError)?.errors.map(\.field) ?? []
            return fields == ["config.url", "config.secret", "config.colour"]
        }
        #expect(throws: ChannelConfigurationError.self) { try ChannelConfiguration(type: .twilio, fields: ["account_sid": "AC1", "auth_token": "t"]) }
    }

    @Test func secretsAreSeparatedFromPublicSettingsAndMasked() throws {
        let secret = "whsec_" + String(repeating: "A", count: 32)
        let configuration = try ChannelConfiguration(type: .webhook, fields: ["url": "https://example.com/hook", "secret": .string(secret)])
        #expect(configuration.secrets == ["secret": secret])
        #expect(configuration.publicFields["secret"] == nil)
        #expect(configuration.maskedFields["secret"] == .object(["set": .bool(true), "last4": "AAAA"]))
    }

    @Test func aPatchKeepsASecretSentBackMaskedAndReplacesOneSentInFull() throws {
        let configuration = try ChannelConfiguration(
            type: .sendgrid, fields: ["api_key": "SG.original-key-123456", "from_address": "a@shop.example.com"])
        let kept = try configuration.patched(with: ["api_key": configuration.maskedFields["api_key"]!, "from_name": "Shop"])
        #expect(kept.secrets["api_key"] == "SG.original-key-123456")
        #expect(kept.publicFields["from_name"] == "Shop")
        let replaced = try configuration.patched(with: ["api_key": "SG.new-key"])
        #expect(replaced.secrets["api_key"] == "SG.new-key")
    }

    @Test func storedHalvesRebuildTheSameConfiguration() throws {
        let configuration = try ChannelConfiguration(
            type: .ses, fields: ["region": "eu-west-1", "access_key_id": "AKIA1", "secret_access_key": "s3cret", "from_address": "a@shop.example.com"])
        let rebuilt = try ChannelConfiguration(type: .ses, publicFields: configuration.publicFields, secrets: configuration.secrets)
        #expect(rebuilt == configuration)
        #expect(configuration.publicFields["endpoint"] == "https://email.eu-west-1.amazonaws.com")
    }
}

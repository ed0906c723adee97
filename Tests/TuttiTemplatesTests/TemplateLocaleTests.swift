import Testing
import TuttiDomain
import TuttiTemplates

@Suite("Choosing a template's locale")
struct TemplateLocaleTests {
    @Test func candidatesFallBackSubtagBySubtagThenToTheDefault() {
        #expect(TemplateLocaleFallback.candidates(for: "de-AT", defaultLocale: "en") == ["de-at", "de", "en"])
        #expect(
            TemplateLocaleFallback.candidates(for: "zh_Hant_TW", defaultLocale: "en") == ["zh-hant-tw", "zh-hant", "zh", "en"])
        #expect(TemplateLocaleFallback.candidates(for: "de-x-foo", defaultLocale: "en") == ["de-x-foo", "de", "en"])
        #expect(TemplateLocaleFallback.candidates(for: nil, defaultLocale: "en-GB") == ["en-gb"])
        #expect(TemplateLocaleFallback.candidates(for: "en", defaultLocale: "en") == ["en"])
    }

    @Test func aCustomerInAustriaGetsTheGermanPartAndOthersTheDefault() throws {
        for (requested, expected) in [
            ("de-AT", "Hallo O'Brien & <Sons>"), ("DE", "Hallo O'Brien & <Sons>"), ("fr", "Hi O'Brien & <Sons>: "),
        ] {
            let rendered = try TemplateFixtures.render(.sms, locale: requested)
            guard case .sms(let text, _) = rendered.parts else { return }
            #expect(text.hasPrefix(expected))
            #expect(rendered.locale == (expected.hasPrefix("Hallo") ? "de" : "en"))
        }
    }

    @Test func aLocaleWithoutTheChannelFallsBackToTheDefaultsPart() throws {
        let rendered = try TemplateFixtures.render(.email, locale: "de-AT")
        #expect(rendered.locale == "en")
        guard case .email(let subject, _, _, _) = rendered.parts else { return }
        #expect(subject == "Hi O'Brien & <Sons>")
    }
}

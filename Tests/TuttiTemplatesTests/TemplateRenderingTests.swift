import Foundation
import Testing
import TuttiDomain
import TuttiTemplates

@Suite("Rendering a template for one channel")
struct TemplateRenderingTests {
    @Test func onlyTheHTMLPartIsHTMLEscaped() throws {
        let email = try TemplateFixtures.render(.email).parts
        #expect(
            email
                == .email(
                    subject: "Hi O'Brien & <Sons>", preheader: "O'Brien & <Sons>",
                    html: "<p>Hi O&#39;Brien &amp; &lt;Sons&gt; O'Brien & <Sons></p>", text: "Hi O'Brien & <Sons> O'Brien &"))
        #expect(try TemplateFixtures.render(.social).parts == .social(text: "@ob@social.test O'Brien & <Sons>"))
        let push = try TemplateFixtures.render(.push).parts
        #expect(push == .push(title: "O'Brien & <Sons>", body: "Push deal", url: "https://x.test/c-1"))
    }

    @Test func theOfferCreativeIsTheRenderedChannelsOwnAndIsRenderedItself() throws {
        let sms = try TemplateFixtures.render(.sms)
        guard case .sms(let text, let segments) = sms.parts else { Issue.record("not an SMS"); return }
        #expect(text == "Hi O'Brien & <Sons>: 10% for O'Brien & <Sons> SPRING-1")
        #expect(segments.encoding == .gsm7 && segments.count == 1)
    }

    @Test func webhookDataRendersEveryStringAndKeepsOtherValues() throws {
        let webhook = try TemplateFixtures.render(.webhook).parts
        let expected: JSONValue = .object([
            "greeting": .string("Hi O'Brien & <Sons>"), "count": .number(3), "lines": .array([.string("gold"), .bool(true)]),
        ])
        #expect(webhook == .webhook(data: expected))
    }

    @Test func webhookKeysWithDotsHaveTheirOwnPaths() throws {
        let data: JSONValue = .object(["a.b": .string("{{message.id}}"), "a": .object(["b": .string("x")])])
        let template = MessageTemplate(name: "t", parts: TemplateParts(webhook: WebhookTemplatePart(data: data)))
        let rendered = try TemplateFixtures.render(.webhook, template).parts
        #expect(rendered == .webhook(data: .object(["a.b": .string("m-1"), "a": .object(["b": .string("x")])])))
        #expect(template.fields.map(\.path) == ["webhook.data.a.b", #"webhook.data["a.b"]"#])
    }

    @Test func conditionsAreFalseForACustomerTheRuleDoesNotMatchOrWhenNotGiven() throws {
        var context = TemplateFixtures.context
        context.attributes["plan"] = .string("basic")
        #expect(try TemplateFixtures.render(.webhook, context: context).parts.webhookLine == "")
        let compiled = try TemplateCompiler.compile(TemplateFixtures.template).template
        #expect(try compiled.render(.webhook, context: TemplateFixtures.context).parts.webhookLine == "")
    }

    @Test func anExplicitTextIsKeptAndEmptyTextIsDerived() throws {
        var template = TemplateFixtures.template
        template.parts.email?.text = "Plain {{links.unsubscribe}} & more"
        guard case .email(_, _, _, let text) = try TemplateFixtures.render(.email, template).parts else { return }
        #expect(text == "Plain https://x.test/u & more")
        template.parts.email?.text = ""
        guard case .email(_, _, _, let derived) = try TemplateFixtures.render(.email, template).parts else { return }
        #expect(derived == "Hi O'Brien & <Sons> O'Brien &")  // the raw `<Sons>` is markup
    }

    @Test func aChannelWithoutAPartIsAnErrorNamingIt() throws {
        var template = TemplateFixtures.template
        template.parts.push = nil
        #expect { try TemplateFixtures.render(.push, template) } throws: { error in
            (error as? TemplateErrors)?.errors.first
                == TemplateError(.missingPart, part: "push", message: "the template has no push part")
        }
    }

    @Test func anSMSOverTheSegmentLimitRendersWithAWarning() throws {
        let template = MessageTemplate(
            name: "t", parts: TemplateParts(sms: TextTemplatePart(text: String(repeating: "ж", count: 71))))
        let compiled = try TemplateCompiler.compile(template).template
        let rendered = try compiled.render(.sms, context: TemplateContext(customerID: "c"), smsSegmentLimit: 1)
        #expect(rendered.warnings.map(\.message) == ["the SMS is 2 UCS-2 segments, more than the limit of 1"])
        #expect(try compiled.render(.sms, context: TemplateContext(customerID: "c"), smsSegmentLimit: 2).warnings.isEmpty)
    }

    @Test func theTemplateDecodesFromItsJSONForm() throws {
        let json = """
            {"name": "n", "parts": {"sms": {"text": "Hi"}, "webhook": {"data": {"a": ["{{message.id}}"]}}},
             "conditions": {"gold": "true"}, "locales": {"de": {"parts": {"sms": {"text": "Hallo"}}}}, "default_locale": "fr"}
            """
        let template = try JSONDecoder().decode(MessageTemplate.self, from: Data(json.utf8))
        #expect(template.defaultLocale == "fr" && template.locales["de"]?.parts.sms?.text == "Hallo")
        #expect(template.fields.map(\.path) == ["sms.text", "webhook.data.a[0]", "locales.de.sms.text"])
    }
}

extension RenderedMessage.Parts {
    /// The first line of the fixture's webhook data.
    var webhookLine: String? {
        guard case .webhook(.object(let data)) = self, case .array(let lines)? = data["lines"] else { return nil }
        return lines.first?.stringValue
    }
}

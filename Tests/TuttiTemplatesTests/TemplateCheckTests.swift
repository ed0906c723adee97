import Testing
import TuttiDomain
import TuttiTemplates

@Suite("Checking a template")
struct TemplateCheckTests {
    static func errors(_ template: MessageTemplate) -> [TemplateError] {
        do {
            _ = try TemplateCompiler.compile(template)
            return []
        } catch {
            return error.errors
        }
    }

    static func email(html: String? = nil, text: String? = nil, conditions: [String: String] = [:]) -> MessageTemplate {
        MessageTemplate(
            name: "t", parts: TemplateParts(email: EmailTemplatePart(subject: "s", html: html, text: text)),
            conditions: conditions)
    }

    @Test func aSyntaxErrorNamesThePartLineAndColumnInHTMLAndTextParts() {
        let source = "Hello\n  {{#customer.id}} open\n"
        #expect(Self.errors(Self.email(html: source)).map(\.position) == ["email.html:3:1"])
        #expect(Self.errors(Self.email(text: source)).map(\.position) == ["email.text:3:1"])
        #expect(Self.errors(Self.email(text: "ab {{customer.id")).map(\.position) == ["email.text:1:17"])
        #expect(Self.errors(Self.email(html: "x\ny {{/data}}")).map(\.code) == [.syntax])
    }

    @Test func anUnknownTopLevelNameOrMemberIsAnErrorAtItsTag() {
        let errors = Self.errors(
            Self.email(html: "Hi {{cusomer.id}}\n{{offer.price}} {{message.id}} {{links.home}} {{data.anything.at.all}}"))
        #expect(errors.map(\.position) == ["email.html:1:4", "email.html:2:1", "email.html:2:32"])
        #expect(errors.allSatisfy { $0.code == .unknownVariable })
        #expect(errors.first?.message.contains("`customer`") == true)
    }

    @Test func namesAreFoundThroughTransformsChangedDelimitersTripleMustachesAndLines() {
        let html =
            "{{uppercased(customer.attributes.name)}} {{{cusomer.a}}}\r\n{{! {{nope}} }}{{=<% %>=}} <% offer.cod %> <%& links.home %>"
        #expect(Self.errors(Self.email(html: html)).map(\.position) == ["email.html:1:42", "email.html:2:28", "email.html:2:44"])
    }

    @Test func anUndefinedConditionIsAnErrorAndADefinedOneIsNot() {
        let template = Self.email(
            html: "{{#conditions.gold}}G{{/conditions.gold}}{{^conditions.silver}}S{{/conditions.silver}}",
            conditions: ["gold": "true"])
        #expect(Self.errors(template).map(\.code) == [.undefinedCondition])
        #expect(Self.errors(template).map(\.position) == ["email.html:1:42"])
    }

    @Test func aConditionThatIsNotARuleIsAnErrorWithItsPosition() {
        let errors = Self.errors(Self.email(html: "x", conditions: ["gold": "attributes.plan = ", "bad name": "true"]))
        #expect(errors.map(\.code) == [.invalidConditionName, .invalidCondition])
        #expect(errors.last?.part == "conditions.gold" && errors.last?.line == 1 && errors.last?.column == 19)
    }

    @Test func namesInsideASectionOverAValueAreNotCheckedButInsideConditionsAndInvertedOnesAre() {
        let html =
            "{{#data.items}}{{sku}}{{/data.items}}{{#conditions.gold}}{{nope}}{{/conditions.gold}}{{^data.x}}{{nope2}}{{/data.x}}"
        #expect(
            Self.errors(Self.email(html: html, conditions: ["gold": "true"])).map(\.position) == [
                "email.html:1:58", "email.html:1:97",
            ])
    }

    @Test func anAttributeNoCustomerHasYetIsAWarningNotAnError() throws {
        let template = Self.email(html: "{{customer.attributes.tier}} {{customer.attributes.name}}")
        let compilation = try TemplateCompiler.compile(template, knownAttributes: ["name"])
        #expect(compilation.warnings.map(\.part) == ["email.html"] && compilation.warnings.first?.column == 1)
        #expect(try TemplateCompiler.compile(template).warnings.isEmpty)
    }

    @Test func partialsLocalesAndAnEmptyTemplateAreErrors() {
        var template = Self.email(html: "{{> footer}}")
        template.locales = ["de_AT": TemplateLocale(parts: TemplateParts()), "not a tag": TemplateLocale(parts: TemplateParts())]
        template.defaultLocale = "e"
        #expect(Self.errors(template).map(\.code) == [.invalidLocale, .invalidLocale, .partialNotAvailable])
        #expect(Self.errors(MessageTemplate(name: " ", parts: TemplateParts())).map(\.part) == ["name", "parts"])
    }

    @Test func errorsInTranslationsNameTheirLocale() {
        var template = Self.email(html: "ok")
        template.locales = ["de": TemplateLocale(parts: TemplateParts(sms: TextTemplatePart(text: "{{kunde.name}}")))]
        #expect(Self.errors(template).map(\.position) == ["locales.de.sms.text:1:1"])
    }
}

extension TemplateError {
    var position: String { "\(part):\(line ?? 0):\(column ?? 0)" }
}

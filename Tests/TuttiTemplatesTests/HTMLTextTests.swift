import Testing
import TuttiDomain
import TuttiTemplates

@Suite("Text derived from HTML")
struct HTMLTextTests {
    static func text(_ html: String) throws -> String? {
        let template = MessageTemplate(name: "t", parts: TemplateParts(email: EmailTemplatePart(subject: "s", html: html)))
        let rendered = try TemplateCompiler.compile(template).template.render(.email, context: TemplateContext(customerID: "c"))
        guard case .email(_, _, _, let text) = rendered.parts else { return nil }
        return text
    }

    @Test func blockElementsBreakLinesAndInlineWhitespaceCollapses() throws {
        let html = """
            <html><head><title>Ignored</title><style>p { color: red }</style></head><body>
            <h1>Spring   sale</h1><p>Dear <b>Ana</b>,<br>our   offer:</p>
            <ul><li>One</li><li>Two</li></ul><div>Bye</div><!-- hidden --><script>alert(1)</script></body></html>
            """
        #expect(try Self.text(html) == "Spring sale\n\nDear Ana,\nour offer:\n\n- One\n- Two\n\nBye")
    }

    @Test func linksReadAsTextThenURL() throws {
        let html =
            #"<p>See <a href="https://x.test/a?b=1&amp;c=2">our shop</a>, <a href="https://x.test">https://x.test</a>"#
            + ##" or <a href="mailto:help@x.test">write</a> <a href="#top">top</a></p>"##
        #expect(try Self.text(html) == "See our shop (https://x.test/a?b=1&c=2), https://x.test or write (help@x.test) top")
    }

    @Test func entitiesAreDecodedOnceAndMarkupInTextStaysText() throws {
        #expect(
            try Self.text("<p>O&#39;Brien &amp; Sons &lt;b&gt; &euro;5&nbsp;off &#x1F600; &bogus;</p>")
                == "O'Brien & Sons <b> €5 off 😀 &bogus;")
    }

    @Test func preformattedTextKeepsItsLines() throws {
        #expect(try Self.text("<p>Code:</p><pre>a  b\nc</pre><p>end</p>") == "Code:\n\na  b\nc\n\nend")
    }
}

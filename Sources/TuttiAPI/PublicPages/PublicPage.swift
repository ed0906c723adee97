import Foundation
import HTTPTypes
import Hummingbird
import TuttiDomain
import TuttiStore
import TuttiTemplates

/// The HTML of the public pages a tenant's customers see (`/u/{token}`, `/p/{token}`),
/// rendered through Mustache (HTML-escaped) from one layout; no JavaScript.
///
/// Accessibility (WCAG 2.2 AA): every field has a `<label>`, groups are `<fieldset>`s with a
/// `<legend>`, focus is drawn as a 3 px outline, checkboxes and buttons are at least 24×24 px,
/// the brand colour decorates but never carries meaning (states are words and ticks), and the
/// button's text colour is chosen for contrast with the brand colour.
enum PublicPage {
    static let layout: MustacheEngine.Compiled = {
        do { return try MustacheEngine.compile(layoutSource, html: true) } catch {
            fatalError("the public page layout does not compile: \(error)")
        }
    }()

    /// A page with `status`; `data` fills the layout (see ``layoutSource``).
    static func response(_ status: HTTPResponse.Status, data: [String: JSONValue], text: PublicPageText, colour: String?)
        -> Response
    {
        var data = data
        let brand = colour ?? "#1d4ed8"
        data["lang"] = .string(text.language)
        data["colour"] = .string(brand)
        data["on_colour"] = .string(Self.readableText(on: brand))
        let html = MustacheEngine.render(layout, data: .object(data))
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // The pages need no script, frame or foreign resource: forbid them.
        headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// The "link not valid" page (404), in the language of `text`.
    static func invalid(_ text: PublicPageText = .english) -> Response {
        response(
            .notFound, data: ["title": .string(text.invalidTitle), "message": .string(text.invalidText)], text: text, colour: nil)
    }

    /// A 400 page for a request the route cannot read.
    static func badRequest(_ text: PublicPageText = .english) -> Response {
        response(
            .badRequest, data: ["title": .string(text.invalidTitle), "message": .string(text.badRequestText)], text: text,
            colour: nil)
    }

    /// Runs `body`; a tenant's link key that `TUTTI_CHANNEL_KEYS` cannot open (a key removed
    /// before `tutti channels reencrypt` ran) is a 503 page rather than a 500.
    static func guarded(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch is ChannelSecretError {
            return response(
                .serviceUnavailable,
                data: ["title": .string("Temporarily unavailable"), "message": .string("Please try again later.")],
                text: .english, colour: nil)
        }
    }

    /// Black or white, whichever contrasts more with `hex` (`#rrggbb`), by WCAG relative luminance.
    static func readableText(on hex: String) -> String {
        let digits = hex.dropFirst()
        guard digits.count == 6, let value = Int(digits, radix: 16) else { return "#ffffff" }
        func channel(_ shift: Int) -> Double {
            let c = Double((value >> shift) & 0xff) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        let luminance = 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
        // Contrast with white is 1.05 / (L + 0.05), with black (L + 0.05) / 0.05.
        return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? "#ffffff" : "#000000"
    }

    static let layoutSource = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}{{#tenant}} – {{tenant}}{{/tenant}}</title>
        <style>
        body { font-family: system-ui, sans-serif; font-size: 1rem; line-height: 1.5; color: #1a1a1a; background: #ffffff; margin: 0; }
        header { border-top: 8px solid {{colour}}; padding: 1rem 1.5rem; border-bottom: 1px solid #d0d0d0; }
        main { max-width: 40rem; padding: 1rem 1.5rem 3rem; }
        h1 { font-size: 1.5rem; }
        fieldset { border: 1px solid #767676; border-radius: 4px; margin: 0 0 1.5rem; padding: 0.75rem 1rem; }
        legend { font-weight: 600; padding: 0 0.25rem; }
        .choice { display: flex; align-items: flex-start; gap: 0.75rem; margin: 0.5rem 0; }
        input[type=checkbox] { width: 24px; height: 24px; margin: 0; flex: none; accent-color: {{colour}}; }
        label { cursor: pointer; }
        .hint { display: block; color: #4a4a4a; font-size: 0.9rem; }
        button { min-height: 44px; min-width: 44px; padding: 0.5rem 1.25rem; font-size: 1rem; border: 2px solid #1a1a1a;
                 border-radius: 4px; background: {{colour}}; color: {{on_colour}}; cursor: pointer; }
        a { color: #0b4bb3; text-decoration: underline; }
        a, button, input { outline-offset: 2px; }
        a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #1a1a1a; box-shadow: 0 0 0 5px #ffffff; }
        .notice { border: 2px solid #1a1a1a; border-radius: 4px; padding: 0.75rem 1rem; margin: 1rem 0; }
        .notice::before { content: "✓ "; font-weight: 700; }
        </style>
        </head>
        <body>
        <header>{{#tenant}}<p><strong>{{tenant}}</strong></p>{{/tenant}}</header>
        <main>
        <h1>{{title}}</h1>
        {{#confirmation}}<p class="notice" role="status">{{confirmation}}</p>{{/confirmation}}
        {{#message}}<p>{{message}}</p>{{/message}}
        {{#confirm}}
        <form method="post" action="{{action}}">
        <input type="hidden" name="List-Unsubscribe" value="One-Click">
        <button type="submit">{{button}}</button>
        </form>
        {{/confirm}}
        {{#preferences_link}}<p><a href="{{preferences_link}}">{{preferences_label}}</a></p>{{/preferences_link}}
        {{#form}}
        <p>{{intro}}</p>
        <form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#has_channels}}
        <fieldset>
        <legend>{{channels_legend}}</legend>
        {{#channels}}
        <div class="choice"><input type="checkbox" id="{{id}}" name="{{name}}" value="on"{{#checked}} checked{{/checked}}>
        <label for="{{id}}">{{label}}</label></div>
        {{/channels}}
        </fieldset>
        {{/has_channels}}
        {{#topics}}
        <fieldset>
        <legend>{{name}}</legend>
        {{#description}}<p class="hint" id="{{key}}-hint">{{description}}</p>{{/description}}
        {{#choices}}
        <div class="choice"><input type="checkbox" id="{{id}}" name="{{field}}" value="on"{{#checked}} checked{{/checked}}{{#mandatory}} disabled aria-disabled="true"{{/mandatory}}{{#description}} aria-describedby="{{key}}-hint"{{/description}}>
        <label for="{{id}}">{{label}}{{#mandatory}} {{required}}{{/mandatory}}</label></div>
        {{/choices}}
        </fieldset>
        {{/topics}}
        <fieldset>
        <legend>{{everything}}</legend>
        <div class="choice"><input type="checkbox" id="everything" name="everything" value="on" aria-describedby="everything-hint">
        <label for="everything">{{everything}}<span class="hint" id="everything-hint">{{everything_hint}}</span></label></div>
        </fieldset>
        <button type="submit">{{save}}</button>
        </form>
        {{/form}}
        </main>
        </body>
        </html>
        """
}

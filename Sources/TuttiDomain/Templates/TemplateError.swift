/// One thing wrong with a template, and where: the part (`email.html`, `conditions.gold`,
/// `locales.de.sms.text`) and, for an error inside a string, its 1-based line and column.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem; stable for clients to branch on (``rawValue`` is its JSON name).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String {
            case syntax, unknownVariable = "unknown_variable", undefinedCondition = "undefined_condition"
            case invalidCondition = "invalid_condition", invalidConditionName = "invalid_condition_name"
            case partialNotAvailable = "partial_not_available", invalidLocale = "invalid_locale", invalidTemplate =
                "invalid_template"
            case missingPart = "missing_part"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A string that is not valid Mustache.
        public static let syntax = Code(.syntax)
        /// A name no context has (`{{cusomer.id}}`, `{{offer.price}}`).
        public static let unknownVariable = Code(.unknownVariable)
        /// `conditions.NAME` where the template defines no condition NAME.
        public static let undefinedCondition = Code(.undefinedCondition)
        /// A condition's rule that does not parse or check.
        public static let invalidCondition = Code(.invalidCondition)
        public static let invalidConditionName = Code(.invalidConditionName)
        /// `{{> name}}` and template inheritance: a template has no partials to include.
        public static let partialNotAvailable = Code(.partialNotAvailable)
        /// A locale key or default locale that is not a BCP 47 tag.
        public static let invalidLocale = Code(.invalidLocale)
        /// Something wrong with the template as a whole (no name, no part).
        public static let invalidTemplate = Code(.invalidTemplate)
        /// Rendering a channel the template has no part for.
        public static let missingPart = Code(.missingPart)

        public var rawValue: String { base.rawValue }
        public var description: String { base.rawValue }
    }

    public var code: Code
    public var part: String
    public var line: Int?
    public var column: Int?
    /// What is wrong, for a person.
    public var message: String

    public init(_ code: Code, part: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.code = code
        self.part = part
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        if let line, let column { return "\(part):\(line):\(column): \(message)" }
        return "\(part): \(message)"
    }
}

/// Everything wrong with a template, in the order of its parts: never empty.
public struct TemplateErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [TemplateError]

    public init(_ errors: [TemplateError]) {
        precondition(!errors.isEmpty, "TemplateErrors needs at least one error")
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Something in a template that may be intended but deserves a look, such as an attribute no
/// customer has yet (`customer.attributes.tier`); never stops a template from being saved.
public struct TemplateWarning: Sendable, Hashable, CustomStringConvertible {
    public var part: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(part: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.part = part
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        if let line, let column { return "\(part):\(line):\(column): \(message)" }
        return "\(part): \(message)"
    }
}

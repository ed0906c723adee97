import PostgresNIO

/// SQL text with its bound values, built piece by piece: every value a rule carries becomes a
/// parameter (`$n::type`), so nothing a rule author writes is ever spliced into the text.
struct RuleSQLBuilder {
    private(set) var binds = PostgresBindings()

    /// Binds `value` and returns its placeholder, cast to `type` so that PostgreSQL never has to
    /// guess (and so that the planner sees the same type as the index it should use).
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value, _ type: String) -> String {
        binds.append(value)
        return "$\(binds.count)::\(type)"
    }

    func query(_ sql: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}

extension String {
    /// PostgreSQL text cannot hold U+0000: such a value can equal nothing stored, and binding it
    /// would fail the whole statement.
    var holdsNUL: Bool { utf8.contains(0) }
}

/// The rules mutations start from, and the segments they may name.
extension RuleFuzzer {
    /// Valid rules covering every clause; the documentation's examples are added by callers.
    public static let builtInCorpus: [String] = [
        #"attributes.country = "DE" and attributes.age >= 18"#,
        #"attributes.tags contains "vip" or attributes.country in ["DE", "AT", "CH"]"#,
        #"attributes.email starts with "ann" and not attributes.nickname missing"#,
        #"attributes.phone exists and attributes.address.city != "Berlin""#,
        #"attributes."first name" = "Ann" and attributes.score < -1.5"#,
        #"attributes.signup_date within 30 days or attributes.last_login more than 2 years ago"#,
        #"attributes.trial_end within next 7 days and attributes.signup_date before 2024-01-01"#,
        #"attributes.seen_at after 2024-01-01T10:00:00Z and attributes.vip = true"#,
        #"attributes.birthday is today or attributes.renewal_date anniversary in 30 days"#,
        #"attributes.birthday anniversary within next 7 days"#,
        #"can receive email and consent email "newsletter" is opted_in"#,
        #"consent sms is opted_out or not can receive push"#,
        #"count("Order Completed" where total > 50, last 90 days) >= 2"#,
        #"sum("Order Completed".total where currency = "EUR", since 2024-01-01) > 100"#,
        #"average("Order Completed".total) >= 20.5 and min("Order Completed".total) > 1 and max("Order Completed".total) < 1000"#,
        #"first("Signed Up") before 2024-01-01 and last("App Opened", between 2024-01-01 and 2024-07-01) within 7 days"#,
        #"in segment "vip" and not in segment "lapsed""#,
        #"value.rfm.recency >= 4 and value.predicted_12m > 500 and value.last_purchase within 30 days"#,
        "# a comment\nattributes.plan = \"gold\" -- and another\n  or (attributes.plan = \"silver\"\n      and value.order_count > 3)",
        "true",
        "not (false or attributes.a.b.c = \"x\\n\\u00e9\")",
    ]

    /// Segments the corpus names: `vip` (checked), `lapsed` (text naming `vip`) and `loop`
    /// (text naming itself, always refused).
    public static let segments = SegmentCatalog([
        SegmentDefinition(name: "vip", version: 3, rule: .checked(.value(.monetary, .compare(.greaterOrEqual, .number(4))))),
        SegmentDefinition(name: "lapsed", version: 1, rule: .text(#"in segment "vip" and last("Order Completed") more than 1 year ago"#)),
        SegmentDefinition(name: "loop", version: 1, rule: .text(#"in segment "loop""#)),
    ])
}

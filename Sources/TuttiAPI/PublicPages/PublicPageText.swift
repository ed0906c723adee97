/// The words of the public pages (`/u`, `/p`) in each language they speak, chosen by the
/// customer's `locale` attribute: German for `de` and `de-*`, English otherwise.
struct PublicPageText: Sendable {
    var language: String
    var preferencesTitle: String
    var intro: String
    var channelsLegend: String
    var topicsLegend: String
    var required: String
    var everything: String
    var everythingHint: String
    var save: String
    var saved: String
    var unsubscribedTitle: String
    var unsubscribedTopic: String
    var unsubscribedAll: String
    var confirmTitle: String
    var confirmText: String
    var confirmButton: String
    var managePreferences: String
    var invalidTitle: String
    var invalidText: String
    var badRequestText: String
    var channelNames: [String: String]

    static func forLocale(_ locale: String?) -> PublicPageText {
        let language = locale?.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init)
        return language == "de" ? german : english
    }

    static let english = PublicPageText(
        language: "en", preferencesTitle: "Your preferences",
        intro: "Choose what you would like to hear from us about, and how.",
        channelsLegend: "How we may contact you", topicsLegend: "What we write to you about",
        required: "(required, cannot be switched off)",
        everything: "Unsubscribe from everything",
        everythingHint: "Overrides the choices above: no marketing messages on any channel.",
        save: "Save preferences", saved: "Your preferences have been saved.",
        unsubscribedTitle: "You are unsubscribed",
        unsubscribedTopic: "You will no longer receive these messages.",
        unsubscribedAll: "You will no longer receive marketing messages on this channel.",
        confirmTitle: "Unsubscribe", confirmText: "Do you want to stop receiving these messages?",
        confirmButton: "Unsubscribe", managePreferences: "Manage all your preferences",
        invalidTitle: "Link not valid",
        invalidText: "This link is not valid or has expired. Please use the link in a more recent message.",
        badRequestText: "The request could not be understood.",
        channelNames: [
            "email": "E-mail", "sms": "Text messages (SMS)", "push": "Push notifications", "social": "Social media",
            "phone": "Phone calls", "mail": "Post", "web": "Website",
        ])

    static let german = PublicPageText(
        language: "de", preferencesTitle: "Ihre Einstellungen",
        intro: "Wählen Sie, worüber und wie wir Sie informieren dürfen.",
        channelsLegend: "Wie wir Sie erreichen dürfen", topicsLegend: "Worüber wir Ihnen schreiben",
        required: "(erforderlich, kann nicht abbestellt werden)",
        everything: "Alles abbestellen",
        everythingHint: "Gilt vor den Einstellungen oben: keine Werbenachrichten auf irgendeinem Kanal.",
        save: "Einstellungen speichern", saved: "Ihre Einstellungen wurden gespeichert.",
        unsubscribedTitle: "Sie sind abgemeldet",
        unsubscribedTopic: "Sie erhalten diese Nachrichten nicht mehr.",
        unsubscribedAll: "Sie erhalten auf diesem Kanal keine Werbenachrichten mehr.",
        confirmTitle: "Abmelden", confirmText: "Möchten Sie diese Nachrichten nicht mehr erhalten?",
        confirmButton: "Abmelden", managePreferences: "Alle Einstellungen verwalten",
        invalidTitle: "Link ungültig",
        invalidText: "Dieser Link ist ungültig oder abgelaufen. Bitte verwenden Sie den Link aus einer neueren Nachricht.",
        badRequestText: "Die Anfrage konnte nicht verstanden werden.",
        channelNames: [
            "email": "E-Mail", "sms": "SMS", "push": "Push-Benachrichtigungen", "social": "Soziale Medien",
            "phone": "Telefonanrufe", "mail": "Post", "web": "Website",
        ])
}

/// Why `POST /v1/messages` refuses to create a message; each is a 422 problem for the client.
public enum MessageRefusal: Error, Sendable, Hashable {
    /// No live customer has this id.
    case unknownCustomer
    /// No live channel has this id.
    case unknownChannel
    /// The customer has no identity of the kind the channel sends to (`email`, `phone`, …).
    case noIdentity(identityType: String, channelType: String)
    /// The address is on the suppression list (bounce, complaint, STOP, manual).
    case suppressed(identityType: String, reason: String)
    /// The customer opted out of the consent channel the channel type reaches.
    case optedOut(consentChannel: String)
}

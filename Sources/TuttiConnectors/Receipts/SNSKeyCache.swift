import Synchronization

/// SNS signing certificates' keys by the URL they were fetched from, shared by every request
/// of a process. Only URLs on allowed hosts are ever fetched, so it stays small; past
/// ``maximumCount`` distinct URLs it starts over.
public final class SNSKeyCache: Sendable {
    static let maximumCount = 64
    private let keys = Mutex<[String: SNSSignature.PublicKey]>([:])

    public init() {}

    public subscript(url: String) -> SNSSignature.PublicKey? {
        get { keys.withLock { $0[url] } }
        set {
            keys.withLock { keys in
                if keys.count >= Self.maximumCount { keys.removeAll() }
                keys[url] = newValue
            }
        }
    }
}

import Foundation
import Testing
import TuttiDomain
import TuttiStore

/// The cache's rules, without a database: what it serves, for how long, and what it refuses
/// to remember (docs/tenancy.md, "Caching authentication").
@Suite("API key cache")
struct APIKeyCacheTests {
    let principal = Principal(tenantID: UUID(), keyID: UUID(), role: .editor)
    let hash = APIKeySecretHash.digest(of: "secret")

    func listeningCache(ttl: Duration = .seconds(10)) -> APIKeyCache {
        let cache = APIKeyCache(ttl: ttl)
        cache.setListening(true)
        return cache
    }

    func remember(_ prefix: String, in cache: APIKeyCache, principal: Principal? = nil) throws {
        let admission = try #require(cache.admission())
        cache.store(principal ?? self.principal, prefix: prefix, secretHash: hash, admission: admission)
    }

    @Test func servesARememberedKeyOnlyWithItsSecret() throws {
        let cache = listeningCache()
        try remember("0123456789abcdef", in: cache)
        #expect(cache.principal(prefix: "0123456789abcdef", secretHash: hash) == principal)
        #expect(cache.principal(prefix: "0123456789abcdef", secretHash: APIKeySecretHash.digest(of: "guess")) == nil)
        #expect(cache.principal(prefix: "fedcba9876543210", secretHash: hash) == nil)
    }

    @Test func entriesExpireAfterTheTTL() throws {
        let cache = listeningCache(ttl: .seconds(10))
        let start = ContinuousClock.now
        let admission = try #require(cache.admission(now: start))
        cache.store(principal, prefix: "0123456789abcdef", secretHash: hash, admission: admission)
        #expect(cache.principal(prefix: "0123456789abcdef", secretHash: hash, now: start + .seconds(9)) == principal)
        #expect(cache.principal(prefix: "0123456789abcdef", secretHash: hash, now: start + .seconds(10)) == nil)
    }

    @Test func servesAndKeepsNothingWhileNotListening() throws {
        let cache = APIKeyCache(ttl: .seconds(10))
        #expect(cache.admission() == nil)
        cache.setListening(true)
        try remember("0123456789abcdef", in: cache)
        cache.setListening(false)
        #expect(cache.principal(prefix: "0123456789abcdef", secretHash: hash) == nil)
        cache.setListening(true)
        #expect(cache.principal(prefix: "0123456789abcdef", secretHash: hash) == nil, "notifications sent in between were lost")
    }

    @Test func evictsAKeyOrAWholeTenant() throws {
        let cache = listeningCache()
        let other = Principal(tenantID: UUID(), keyID: UUID(), role: .viewer)
        try remember("aaaaaaaaaaaaaaaa", in: cache)
        try remember("bbbbbbbbbbbbbbbb", in: cache)
        try remember("cccccccccccccccc", in: cache, principal: other)
        cache.evict(.key(prefix: "aaaaaaaaaaaaaaaa"))
        #expect(cache.principal(prefix: "aaaaaaaaaaaaaaaa", secretHash: hash) == nil)
        #expect(cache.principal(prefix: "bbbbbbbbbbbbbbbb", secretHash: hash) == principal)
        cache.evict(.tenant(principal.tenantID))
        #expect(cache.principal(prefix: "bbbbbbbbbbbbbbbb", secretHash: hash) == nil)
        #expect(cache.principal(prefix: "cccccccccccccccc", secretHash: hash) == other)
    }

    @Test func anAnswerAskedForBeforeAnEvictionIsNotKept() throws {
        let cache = listeningCache()
        let admission = try #require(cache.admission())
        // The revocation commits and is heard while the database lookup is still on its way.
        cache.evict(.key(prefix: "0123456789abcdef"))
        cache.store(principal, prefix: "0123456789abcdef", secretHash: hash, admission: admission)
        #expect(cache.principal(prefix: "0123456789abcdef", secretHash: hash) == nil)
    }

    @Test func staysWithinItsCapacity() throws {
        let cache = APIKeyCache(ttl: .seconds(10), capacity: 2)
        cache.setListening(true)
        for prefix in ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc"] { try remember(prefix, in: cache) }
        #expect(cache.principal(prefix: "cccccccccccccccc", secretHash: hash) == principal)
        #expect(cache.principal(prefix: "aaaaaaaaaaaaaaaa", secretHash: hash) == nil)
    }

    @Test func notificationPayloadsParse() {
        #expect(APIKeyNotification(payload: "key 0123456789abcdef") == .key(prefix: "0123456789abcdef"))
        let tenant = UUID()
        #expect(APIKeyNotification(payload: "tenant \(tenant.uuidString.lowercased())") == .tenant(tenant))
        for garbage in ["", "key", "key ", "tenant nope", "queue x", "key a b"] {
            #expect(APIKeyNotification(payload: garbage) == nil, "\(garbage)")
        }
    }
}

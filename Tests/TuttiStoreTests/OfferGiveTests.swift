import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// Giving offers (`offersGive`) under concurrency: caps, per-customer limits and code pools
/// hold exactly however many campaigns give the same offer at once.
@Suite("Giving offers")
struct OfferGiveTests {
    static func customers(_ count: Int, in database: Database, tenant: UUID) async throws -> [UUID] {
        let ids = (0..<count).map { _ in UUID.v7() }
        try await database.withTenant(tenant, logger: TestDatabase.logger) { session in
            // One row at a time: Citus runs an INSERT … SELECT over unnest as a COPY, which
            // row-level security refuses.
            for id in ids {
                try await session.connection.query(
                    "INSERT INTO customers (tenant_id, id, attributes) VALUES (\(tenant), \(id), '{}')", logger: session.logger
                ).collect().count
            }
        }
        return ids
    }

    static func offer(_ definition: OfferDefinition, codes: [String] = [], in database: Database, tenant: UUID) async throws
        -> UUID
    {
        try await database.withTenant(tenant, logger: TestDatabase.logger) { session in
            let offer = try await session.offerInsert(definition, eligibilityRule: nil)
            if !codes.isEmpty { _ = try await session.offerCodesAdd(offerID: offer.id, codes: codes) }
            return offer.id
        }
    }

    /// Every grant recorded for an offer: (customer, code).
    static func grants(of offer: UUID, in database: Database, tenant: UUID) async throws -> [(UUID, String?)] {
        try await database.withTenant(tenant, logger: TestDatabase.logger) { session in
            let rows = try await session.connection.query(
                "SELECT customer_id, code FROM offer_grants WHERE tenant_id = \(tenant) AND offer_id = \(offer)",
                logger: session.logger)
            var grants: [(UUID, String?)] = []
            for try await row in rows.decode((UUID, String?).self) { grants.append(row) }
            return grants
        }
    }

    /// `tasks` givers at once, each giving the offer to every customer in its own order, in
    /// batches of `batch` per transaction (retrying a batch that hit a deadlock or a
    /// serialization failure, as a worker would).
    static func race(
        _ offer: UUID, to customers: [UUID], tasks: Int, batch: Int, in database: Database, tenant: UUID
    ) async throws -> [OfferGrantOutcome] {
        try await withThrowingTaskGroup(of: [OfferGrantOutcome].self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var outcomes: [OfferGrantOutcome] = []
                    let order = customers.shuffled()
                    for start in stride(from: 0, to: order.count, by: batch) {
                        let chunk = order[start..<min(start + batch, order.count)]
                        let requests = chunk.map { OfferGrantRequest(offerID: offer, customerID: $0) }
                        outcomes += try await database.withTenant(tenant, logger: TestDatabase.logger) {
                            try await $0.offersGive(requests)
                        }
                    }
                    return outcomes
                }
            }
            var all: [OfferGrantOutcome] = []
            for try await outcomes in group { all += outcomes }
            return all
        }
    }

    @Test(arguments: 1...3)
    func concurrentGiversNeverGiveACodeTwiceNorOneCustomerTwoCodes(round: Int) async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Offer race \(round)", in: database).tenant.id
            let customers = try await Self.customers(60, in: database, tenant: tenant)
            let codes = (1...40).map { "CODE-\(round)-\($0)" }
            let offer = try await Self.offer(
                OfferDefinition(code: "RACE", name: "Race"), codes: codes, in: database, tenant: tenant)

            let outcomes = try await Self.race(offer, to: customers, tasks: 8, batch: 15, in: database, tenant: tenant)

            let given = outcomes.compactMap(\.code)
            #expect(given.count == 40, "every code given, none more")
            #expect(Set(given) == Set(codes), "no code twice, and only pool codes")
            #expect(outcomes.count == 8 * 60)
            #expect(
                outcomes.allSatisfy { $0.code != nil || $0 == .refused(.perCustomerLimit) || $0 == .refused(.codesExhausted) })
            let grants = try await Self.grants(of: offer, in: database, tenant: tenant)
            #expect(grants.count == 40)
            #expect(Set(grants.map(\.0)).count == 40, "no customer twice")
            #expect(Set(grants.compactMap(\.1)) == Set(codes))
            let stored = try #require(
                try await database.withTenant(tenant, logger: TestDatabase.logger) { try await $0.offerGet(id: offer) })
            #expect(stored.given == 40 && stored.codesAssigned == 40 && stored.codesLeft == 0)
            let candidate = OfferCandidate(stored)
            let newcomer = OfferArbitration.Customer(id: UUID(), subject: RuleSubject())
            #expect(
                OfferArbitration.exclusion(
                    of: candidate, for: newcomer, channel: .email, now: RuleTime(millisecondsSinceEpoch: 0))
                    == .noCreativeForChannel)
            var withCreative = candidate
            withCreative.channels = [.email]
            #expect(
                OfferArbitration.exclusion(
                    of: withCreative, for: newcomer, channel: .email, now: RuleTime(millisecondsSinceEpoch: 0))
                    == .codesExhausted, "an exhausted pool makes the offer ineligible")
        }
    }

    @Test func concurrentGiversKeepThePerCustomerLimitAndTheTotalCapExact() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Offer caps", in: database).tenant.id
            let customers = try await Self.customers(50, in: database, tenant: tenant)
            let offer = try await Self.offer(
                OfferDefinition(code: "CAPS", name: "Caps", perCustomerLimit: 2, totalCap: 90), in: database, tenant: tenant)

            let outcomes = try await Self.race(offer, to: customers, tasks: 6, batch: 20, in: database, tenant: tenant)

            #expect(outcomes.filter { $0 == .given(code: nil) }.count == 90)
            let grants = try await Self.grants(of: offer, in: database, tenant: tenant)
            #expect(grants.count == 90)
            let perCustomer = Dictionary(grouping: grants, by: \.0).mapValues(\.count)
            #expect(perCustomer.values.allSatisfy { $0 <= 2 })
            let counts = try await database.withTenant(tenant, logger: TestDatabase.logger) {
                try await $0.offerGrantCounts(offerIDs: [offer], customerIDs: customers)
            }
            #expect(counts.values.reduce(0, +) == 90)
            #expect(
                try await database.withTenant(tenant, logger: TestDatabase.logger) { try await $0.offerGet(id: offer)?.given }
                    == 90)
        }
    }

    /// The offer's row is not locked for an offer limited per customer only, nor for one without
    /// limits: the per-customer advisory locks alone keep the limit, and the counter stays exact.
    @Test func concurrentGiversKeepAPerCustomerOnlyLimitAndCountOfferWithoutLimitsExactly() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Offer per customer", in: database).tenant.id
            let customers = try await Self.customers(40, in: database, tenant: tenant)
            let once = try await Self.offer(
                OfferDefinition(code: "ONCE", name: "Once each", perCustomerLimit: 1), in: database, tenant: tenant)
            let free = try await Self.offer(OfferDefinition(code: "FREE", name: "No limits"), in: database, tenant: tenant)

            async let onceOutcomes = Self.race(once, to: customers, tasks: 6, batch: 15, in: database, tenant: tenant)
            async let freeOutcomes = Self.race(free, to: customers, tasks: 6, batch: 15, in: database, tenant: tenant)
            let (onceGiven, freeGiven) = try await (onceOutcomes, freeOutcomes)

            #expect(onceGiven.filter { $0 == .given(code: nil) }.count == 40)
            #expect(onceGiven.filter { $0 == .refused(.perCustomerLimit) }.count == 200)
            let onceGrants = try await Self.grants(of: once, in: database, tenant: tenant)
            #expect(Set(onceGrants.map(\.0)).count == 40 && onceGrants.count == 40, "each customer once, no more")
            #expect(freeGiven.allSatisfy { $0 == .given(code: nil) })
            let given = try await database.withTenant(tenant, logger: TestDatabase.logger) { session in
                (try await session.offerGet(id: once)?.given, try await session.offerGet(id: free)?.given)
            }
            #expect(given.0 == 40 && given.1 == 240)
        }
    }

    @Test func unknownCustomersDeletedOffersAndOtherTenantsOffersAreRefusedNotRecorded() async throws {
        try await withTestDatabase { database in
            let a = try await TestTenant.make("Offers A", in: database).tenant.id
            let b = try await TestTenant.make("Offers B", in: database).tenant.id
            let customers = try await Self.customers(2, in: database, tenant: a)
            let bOffer = try await Self.offer(OfferDefinition(code: "B", name: "B's"), in: database, tenant: b)
            let gone = try await Self.offer(OfferDefinition(code: "GONE", name: "Gone"), in: database, tenant: a)
            let mine = try await Self.offer(OfferDefinition(code: "MINE", name: "Mine"), in: database, tenant: a)
            _ = try await database.withTenant(a, logger: TestDatabase.logger) { try await $0.offerDelete(id: gone) }
            let outcomes = try await database.withTenant(a, logger: TestDatabase.logger) { session in
                try await session.offersGive([
                    OfferGrantRequest(offerID: bOffer, customerID: customers[0]),
                    OfferGrantRequest(offerID: gone, customerID: customers[0]),
                    OfferGrantRequest(offerID: mine, customerID: UUID()),
                    OfferGrantRequest(offerID: mine, customerID: customers[1], messageID: UUID()),
                ])
            }
            #expect(
                outcomes == [.refused(.unknownOffer), .refused(.unknownOffer), .refused(.unknownCustomer), .given(code: nil)])
            #expect(try await Self.grants(of: bOffer, in: database, tenant: b).isEmpty)
        }
    }

    /// Not a pass/fail figure: how long giving a pooled offer to 10,000 customers takes, in
    /// batches of 500 (printed for docs/offers.md).
    @Test func givingAPooledOfferToTenThousandCustomersInBatches() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Offer timing", in: database).tenant.id
            let customers = try await Self.customers(10_000, in: database, tenant: tenant)
            let codes = (1...10_000).map { "T-\($0)" }
            let offer = try await Self.offer(
                OfferDefinition(code: "TIMING", name: "Timing"), codes: codes, in: database, tenant: tenant)
            let clock = ContinuousClock()
            let start = clock.now
            var given = 0
            for chunk in stride(from: 0, to: customers.count, by: 500) {
                let requests = customers[chunk..<min(chunk + 500, customers.count)].map {
                    OfferGrantRequest(offerID: offer, customerID: $0)
                }
                let outcomes = try await database.withTenant(tenant, logger: TestDatabase.logger) {
                    try await $0.offersGive(requests)
                }
                given += outcomes.compactMap(\.code).count
            }
            let elapsed = clock.now - start
            print("offers: gave a pooled offer to \(given) customers in batches of 500 in \(elapsed)")
            #expect(given == 10_000)
        }
    }
}

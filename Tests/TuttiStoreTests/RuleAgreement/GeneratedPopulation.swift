import Foundation
import TuttiDomain

/// One batch's customers, as generated: what the agreement test inserts into a tenant and
/// prints when the evaluators disagree about one of them.
struct GeneratedPopulation: Codable {
    struct Customer: Codable {
        var id: UUID
        var attributes: [String: JSONValue]
        var identities: [Identity]
        var consents: [Consent]
        var value: CustomerValue?
        var events: [Event]
        /// The index of the customer this one was merged into.
        var mergedInto: Int?
    }

    struct Identity: Codable {
        var type: String
        var value: String
        var suppressed: Bool
    }

    struct Consent: Codable {
        var channel: String
        var topic: String
        var status: String
    }

    struct Event: Codable {
        var name: String
        var properties: [String: JSONValue]
        var at: Int64
    }

    var now: RuleTime
    var customers: [Customer]
}

/// Random populations over the small vocabulary that rules are generated from
/// (``GeneratedVocabulary``): every JSON type, null and missing keys, non-ASCII strings, time
/// strings valid and not, customers in zones with daylight saving edges, merges with events.
struct PopulationGenerator {
    var random: SeededRandom
    let now: RuleTime
    let vocabulary: GeneratedVocabulary

    mutating func population(size: Int) -> GeneratedPopulation {
        var customers: [GeneratedPopulation.Customer] = []
        for index in 0..<size {
            customers.append(customer(index: index))
        }
        // Merges point to a later customer, so chains (a → b → c) end at a live one.
        for index in 0..<max(0, size - 1) where random.chance(0.15) {
            customers[index].mergedInto = random.int((index + 1)...(size - 1))
            customers[index].identities = []  // identities move to the survivor
        }
        return GeneratedPopulation(now: now, customers: customers)
    }

    /// Ids from the seed too, so that a replayed batch prints the same customers.
    private mutating func randomID() -> UUID {
        let high = random.next(), low = random.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (8 * index))
            bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (8 * index))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    private mutating func customer(index: Int) -> GeneratedPopulation.Customer {
        var attributes: [String: JSONValue] = [:]
        for key in GeneratedVocabulary.attributeKeys where random.chance(0.75) {
            attributes[key] = random.chance(0.8) ? vocabulary.attributeValue(key, &random) : vocabulary.anyValue(&random, depth: 0)
        }
        var identities: [GeneratedPopulation.Identity] = []
        for type in ["email", "phone", "apns", "x", "external_id"] where random.chance(0.4) {
            identities.append(.init(type: type, value: "c\(index)-\(type)@example.com", suppressed: random.chance(0.25)))
        }
        var consents: [GeneratedPopulation.Consent] = []
        for channel in ["email", "sms", "push", "social", "phone"] where random.chance(0.3) {
            consents.append(.init(channel: channel, topic: "", status: random.pick(ConsentStatus.allCases).rawValue))
            if random.chance(0.3) {
                consents.append(.init(channel: channel, topic: "news", status: random.pick(ConsentStatus.allCases).rawValue))
            }
        }
        var value: CustomerValue?
        if random.chance(0.6) {
            value = CustomerValue(
                lifetimeRevenue: random.pick([0, 100, 250.5, 1e-7, 999.99]), orderCount: random.int(0...5),
                firstPurchase: random.chance(0.6) ? vocabulary.instant(&random) : nil,
                lastPurchase: random.chance(0.6) ? vocabulary.instant(&random) : nil,
                rfmRecency: random.chance(0.7) ? random.int(1...5) : nil, rfmFrequency: random.chance(0.7) ? random.int(1...5) : nil,
                rfmMonetary: random.chance(0.7) ? random.int(1...5) : nil,
                predicted12Months: random.chance(0.5) ? random.pick([0, 50, 120.25, 500, 1e6]) : nil)
        }
        var events: [GeneratedPopulation.Event] = []
        for _ in 0..<random.int(0...7) {
            var properties: [String: JSONValue] = [:]
            for key in GeneratedVocabulary.propertyKeys where random.chance(0.7) {
                properties[key] = random.chance(0.85) ? vocabulary.propertyValue(key, &random) : vocabulary.anyValue(&random, depth: 1)
            }
            events.append(.init(name: random.pick(GeneratedVocabulary.eventNames), properties: properties, at: vocabulary.instant(&random).millisecondsSinceEpoch))
        }
        return .init(id: randomID(), attributes: attributes, identities: identities, consents: consents, value: value, events: events)
    }
}

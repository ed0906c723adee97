import Foundation
import PostgresNIO
import TuttiDomain
import TuttiStore

extension GeneratedPopulation {
    /// Writes the population into the session's tenant with a handful of set-based statements
    /// (each table from one jsonb parameter), as the application role.
    func insert(into session: TenantSession) async throws {
        let tenant = session.tenantID
        func json(_ rows: [JSONValue]) -> String { JSONValue.array(rows).compactText }
        func ms(_ time: RuleTime?) -> JSONValue { time.map { .number(Double($0.millisecondsSinceEpoch)) } ?? .null }
        func int(_ value: Int?) -> JSONValue { value.map { .number(Double($0)) } ?? .null }

        let customerRows = customers.map {
            JSONValue.object(["id": .string($0.id.uuidString), "attributes": .object($0.attributes)])
        }
        let merges = customers.compactMap { customer in
            customer.mergedInto.map {
                JSONValue.object(["id": .string(customer.id.uuidString), "into": .string(customers[$0].id.uuidString)])
            }
        }
        let identities = customers.flatMap { customer in
            customer.identities.map {
                JSONValue.object([
                    "customer": .string(customer.id.uuidString), "type": .string($0.type), "value": .string($0.value),
                    "suppressed": .bool($0.suppressed),
                ])
            }
        }
        let consents = customers.flatMap { customer in
            customer.consents.map {
                JSONValue.object([
                    "customer": .string(customer.id.uuidString), "channel": .string($0.channel), "topic": .string($0.topic),
                    "status": .string($0.status),
                ])
            }
        }
        let values = customers.compactMap { customer in
            customer.value.map {
                JSONValue.object([
                    "customer": .string(customer.id.uuidString), "revenue": .number($0.lifetimeRevenue),
                    "orders": int($0.orderCount),
                    "first": ms($0.firstPurchase), "last": ms($0.lastPurchase), "r": int($0.rfmRecency),
                    "f": int($0.rfmFrequency),
                    "m": int($0.rfmMonetary), "predicted": $0.predicted12Months.map(JSONValue.number) ?? .null,
                ])
            }
        }
        let events = customers.flatMap { customer in
            customer.events.map {
                JSONValue.object([
                    "customer": .string(customer.id.uuidString), "name": .string($0.name), "properties": .object($0.properties),
                    "at": .number(Double($0.at)),
                ])
            }
        }
        // One statement per table, each with RETURNING: Citus plans an INSERT … SELECT from a
        // function as a COPY to the shards (which row-level security refuses) without it, and
        // runs data-modifying CTEs only when the whole statement goes to one shard.
        let statements: [PostgresQuery] = [
            """
            INSERT INTO customers (tenant_id, id, attributes)
            SELECT \(tenant), (r ->> 'id')::uuid, r -> 'attributes' FROM jsonb_array_elements(\(json(customerRows))::jsonb) AS r
            RETURNING 1
            """,
            """
            UPDATE customers AS c SET merged_into = (r ->> 'into')::uuid FROM jsonb_array_elements(\(json(merges))::jsonb) AS r
            WHERE c.tenant_id = \(tenant) AND c.id = (r ->> 'id')::uuid
            RETURNING 1
            """,
            """
            INSERT INTO customer_identities (tenant_id, type, value, customer_id)
            SELECT \(tenant), r ->> 'type', r ->> 'value', (r ->> 'customer')::uuid FROM jsonb_array_elements(\(json(identities))::jsonb) AS r
            RETURNING 1
            """,
            """
            INSERT INTO suppressions (tenant_id, identity_type, identity_value, reason)
            SELECT \(tenant), r ->> 'type', r ->> 'value', 'manual' FROM jsonb_array_elements(\(json(identities))::jsonb) AS r
            WHERE (r -> 'suppressed')::boolean
            RETURNING 1
            """,
            """
            INSERT INTO consents (tenant_id, customer_id, channel, topic, status)
            SELECT \(tenant), (r ->> 'customer')::uuid, r ->> 'channel', r ->> 'topic', r ->> 'status'
            FROM jsonb_array_elements(\(json(consents))::jsonb) AS r
            RETURNING 1
            """,
            """
            INSERT INTO customer_values (tenant_id, customer_id, lifetime_revenue, order_count, first_purchase, last_purchase,
                                         rfm_recency, rfm_frequency, rfm_monetary, predicted_12m)
            SELECT \(tenant), (r ->> 'customer')::uuid, (r -> 'revenue')::float8, (r -> 'orders')::integer,
                   rule_instant((r ->> 'first')::bigint), rule_instant((r ->> 'last')::bigint),
                   (r ->> 'r')::smallint, (r ->> 'f')::smallint, (r ->> 'm')::smallint, (r ->> 'predicted')::float8
            FROM jsonb_array_elements(\(json(values))::jsonb) AS r
            RETURNING 1
            """,
            """
            INSERT INTO events (tenant_id, id, customer_id, kind, name, properties, occurred_at)
            SELECT \(tenant), gen_random_uuid(), (r ->> 'customer')::uuid, 'track', r ->> 'name', r -> 'properties',
                   rule_instant((r ->> 'at')::bigint)
            FROM jsonb_array_elements(\(json(events))::jsonb) AS r
            RETURNING 1
            """,
        ]
        for statement in statements {
            for try await _ in try await session.connection.query(statement, logger: session.logger) {}
        }
    }
}

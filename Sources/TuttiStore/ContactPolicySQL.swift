import Foundation
import PostgresNIO
import TuttiDomain

/// SQL fragments of the contact policy for set-based statements over many customers (the
/// campaign audience build): the customer's time zone, the (customer, channel type) pairs at or
/// over a cap, and the end of the quiet hours a customer is in. Every value is bound: the
/// fragments name placeholders (`$5`) the caller binds with ``Arguments``; column names are
/// the caller's compile-time text.
///
/// Checked when the audience is built, and again, atomically, when each message is claimed
/// (``TenantSession/contactAdmit(_:)``): the build's check is a filter that keeps capped
/// customers out of the queue, the claim's is the one that holds under concurrency.
public enum ContactPolicySQL {
    /// The advisory-lock key that serializes the policy's checks of one customer
    /// (`customer` is a uuid expression). Prefixed, so it never collides by design with the
    /// keys of other purposes.
    public static func customerLockKey(_ customer: String) -> String {
        "hashtextextended('contact-policy:' || (\(customer))::text, 0)"
    }

    /// The customer's time zone: `attributes.time_zone` when it is a zone PostgreSQL knows,
    /// else the tenant's default (`tenants.time_zone`). Inlined by PostgreSQL; no query.
    public static func customerTimeZone(attributes: String, tenantZone: String) -> String {
        "tutti_customer_time_zone(\(attributes), \(tenantZone))"
    }

    /// The policy as bound values: the caps as parallel arrays, each cap's channel types as
    /// (cap number, channel type) pairs, and the quiet hours.
    public struct Arguments: Sendable {
        public var capSeconds: [Double] = []
        public var capMax: [Int32] = []
        /// For each channel type a cap covers, the cap's number (1-based).
        public var typeCap: [Int32] = []
        public var typeName: [String] = []
        public var quietStart: String?
        public var quietEnd: String?
        public var quietTypes: [String] = []

        public init(_ policy: ContactPolicy) {
            for (index, cap) in policy.caps.enumerated() {
                capSeconds.append(Double(cap.per.seconds))
                capMax.append(Int32(cap.max))
                for type in cap.channels.channelTypes {
                    typeCap.append(Int32(index + 1))
                    typeName.append(type)
                }
            }
            if let quiet = policy.quietHours {
                quietStart = quiet.start.clockText
                quietEnd = quiet.end.clockText
                quietTypes = quiet.channels.channelTypes
            }
        }

        /// Appends the four cap arrays, in the order ``cappedPairs(tenant:at:capSeconds:capMax:typeCap:typeName:)`` names them.
        public func appendCaps(to bindings: inout PostgresBindings) {
            bindings.append(capSeconds)
            bindings.append(capMax)
            bindings.append(typeCap)
            bindings.append(typeName)
        }

        /// Appends start, end (text `HH:MM`, NULL without quiet hours) and the channel types.
        public func appendQuietHours(to bindings: inout PostgresBindings) {
            bindings.append(quietStart)
            bindings.append(quietEnd)
            bindings.append(quietTypes)
        }
    }

    /// A SELECT of `(customer_id uuid, channel_type text)`: every customer of the tenant who
    /// is at or over a cap at instant `at` for that channel type, counting the ledger's rows
    /// whose message has not finally failed. A customer is under every cap for type T at N
    /// exactly when the pair is absent: `NOT EXISTS (SELECT FROM (<this>) AS capped WHERE
    /// capped.customer_id = c.id AND capped.channel_type = <T>)`, or hash it once as a CTE.
    ///
    /// One pass over the ledger rows within the longest window (index
    /// `contact_ledger_customer`), aggregated per customer and cap; no per-customer query.
    public static func cappedPairs(
        tenant: String, at: String, capSeconds: String, capMax: String, typeCap: String, typeName: String
    ) -> String {
        """
        SELECT over.customer_id, types.channel_type
        FROM (
            SELECT l.customer_id, caps.n
            FROM contact_ledger AS l
            JOIN messages AS m ON m.tenant_id = l.tenant_id AND m.id = l.message_id AND m.state <> 'dead'
            JOIN unnest(\(typeCap)::int4[], \(typeName)::text[]) AS kinds(n, channel_type) ON kinds.channel_type = l.channel_type
            JOIN unnest(\(capSeconds)::float8[], \(capMax)::int4[]) WITH ORDINALITY AS caps(seconds, max, n) ON caps.n = kinds.n
            WHERE l.tenant_id = \(tenant)
              AND l.counted_at > \(at)::timestamptz - make_interval(secs => (SELECT coalesce(max(s), 0) FROM unnest(\(capSeconds)::float8[]) AS s))
              AND l.counted_at > \(at)::timestamptz - make_interval(secs => caps.seconds)
            GROUP BY l.customer_id, caps.n, caps.max
            HAVING count(*) >= caps.max
        ) AS over
        JOIN unnest(\(typeCap)::int4[], \(typeName)::text[]) AS types(n, channel_type) ON types.n = over.n
        """
    }

    /// An expression: when the quiet hours that hold at instant `at` for a customer in time
    /// zone `zone` (an expression, such as ``customerTimeZone(attributes:tenantZone:)``) on
    /// channel type `channelType` end, or NULL when they do not hold (outside them, another
    /// channel, or no quiet hours: `start` NULL). Defer the customer's message to it.
    ///
    /// The local time is `at` on the zone's wall clock; the end is the next local `end` after
    /// it, turned back into an instant by PostgreSQL. That agrees with
    /// ``QuietHours/end(containing:in:)`` except where the end itself falls in a spring-forward
    /// gap or the fall-back hour (PostgreSQL then reads the local time with the offset in force
    /// before the change): the claim checks again, and defers once more at most an hour.
    public static func quietUntil(zone: String, channelType: String, at: String, start: String, end: String, types: String)
        -> String
    {
        let local = "(\(at)::timestamptz AT TIME ZONE \(zone))"
        return """
            CASE WHEN \(start)::time IS NOT NULL AND \(channelType) = ANY (\(types)::text[])
                  AND CASE WHEN \(start)::time < \(end)::time
                           THEN \(local)::time >= \(start)::time AND \(local)::time < \(end)::time
                           ELSE \(local)::time >= \(start)::time OR \(local)::time < \(end)::time END
            THEN ((\(local)::date + CASE WHEN \(local)::time >= \(end)::time THEN 1 ELSE 0 END) + \(end)::time) AT TIME ZONE \(zone)
            END
            """
    }
}

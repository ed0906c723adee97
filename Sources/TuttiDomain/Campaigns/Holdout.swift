import Foundation

/// Which customers a campaign holds out: a stable, deterministic share of its audience that is
/// recorded as held out and sent nothing, so that the campaign's effect can be measured
/// against them.
///
/// A customer's bucket in a campaign is the first 32 bits of
/// `md5("<campaign id>:<customer id>")` (ids as canonical lower-case text, the digest read
/// big-endian as its hex text reads) modulo 10,000; the customer is held out when the bucket
/// is below the percent in basis points (10 % → 1,000). So the answer never changes for a
/// campaign, a larger percent holds out a superset, and different campaigns hold out
/// unrelated customers. `HoldoutSQL` in TuttiStore computes the same in PostgreSQL, so the
/// audience is split set-based in the database.
public enum Holdout {
    /// Buckets per campaign: a percent is honoured to two decimals.
    public static let buckets = 10_000

    /// The customer's bucket in the campaign, 0..<10,000.
    public static func bucket(customerID: UUID, campaignID: UUID) -> Int {
        let digest = MD5.digest("\(campaignID.canonicalText):\(customerID.canonicalText)".utf8)
        let prefix = UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
        return Int(prefix % UInt32(buckets))
    }

    /// Whether the customer is held out of the campaign at `percent` (0 to 100).
    public static func isHeldOut(customerID: UUID, campaignID: UUID, percent: Double) -> Bool {
        bucket(customerID: customerID, campaignID: campaignID) < basisPoints(percent: percent)
    }

    /// `percent` in hundredths of a percent, rounded to the nearest and clamped to 0...10,000:
    /// the threshold `HoldoutSQL` takes as its parameter.
    public static func basisPoints(percent: Double) -> Int {
        guard percent.isFinite else { return 0 }
        return min(buckets, max(0, Int((percent * 100).rounded())))
    }

    /// Checks a client's `holdout_percent`: a number from 0 to 100 with at most two decimals.
    public static func validate(percent: Double, field: String = "holdout_percent") throws(ValidationError) {
        guard percent.isFinite, (0...100).contains(percent) else {
            throw ValidationError(field: field, message: "must be a number from 0 to 100 (a percent of the audience)")
        }
        guard abs(percent * 100 - (percent * 100).rounded()) < 1e-6 else {
            throw ValidationError(field: field, message: "must have at most two decimals (e.g. 2.5 or 12.25)")
        }
    }
}

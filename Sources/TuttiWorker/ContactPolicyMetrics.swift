import Metrics
import TuttiDomain
import TuttiStore

/// `tutti_contact_policy_total`: the contact policy's verdicts at send time, by outcome
/// (admitted, deferred, skipped_capped, skipped_quiet_hours).
enum ContactPolicyMetrics {
    static func record(_ result: ContactAdmissionResult) {
        var counts = [("deferred", result.deferred)]
        for (reason, count) in result.skipped { counts.append(("skipped_" + reason.rawValue, count)) }
        for (label, count) in counts where count > 0 {
            Counter(label: "tutti_contact_policy_total", dimensions: [("outcome", label)]).increment(by: count)
        }
    }
}

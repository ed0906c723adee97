import Foundation
import Testing
import TuttiDomain

/// The policy's verdicts on a claimed batch, without a database.
@Suite("Contact admission")
struct ContactAdmissionTests {
    let utc = TimeZone(identifier: "UTC")!
    let now = try! Date("2026-06-10T12:00:00Z", strategy: .iso8601)

    func candidate(_ customer: UUID, _ type: String = "smtp", counted: Bool = false) -> ContactAdmission.Candidate {
        ContactAdmission.Candidate(
            messageID: UUID(), customerID: customer, channelType: type, timeZone: utc, alreadyCounted: counted)
    }

    func cap(_ channels: ChannelSelection, _ max: Int, _ per: String) -> ContactPolicy.Cap {
        ContactPolicy.Cap(channels: channels, max: max, per: PolicyWindow(per)!)
    }

    @Test("With a cap of 1 a day, a customer's second message in the same batch is skipped as capped")
    func capWithinBatch() {
        let admission = ContactAdmission(policy: ContactPolicy(caps: [cap(.all, 1, "1 day")]))
        let (alice, bob) = (UUID(), UUID())
        let verdicts = admission.decide([candidate(alice), candidate(bob), candidate(alice)], contacts: [:], now: now)
        #expect(verdicts == [.admit, .admit, .skip(.capped)])
    }

    @Test("The window rolls: a contact 23 hours ago still counts, one 25 hours ago no longer does")
    func rollingWindow() {
        let admission = ContactAdmission(policy: ContactPolicy(caps: [cap(.all, 1, "1 day")]))
        let (recent, old) = (UUID(), UUID())
        let contacts = [
            recent: [ContactAdmission.Contact(channelType: "smtp", countedAt: now.addingTimeInterval(-23 * 3600))],
            old: [ContactAdmission.Contact(channelType: "smtp", countedAt: now.addingTimeInterval(-25 * 3600))],
        ]
        #expect(admission.decide([candidate(recent), candidate(old)], contacts: contacts, now: now) == [.skip(.capped), .admit])
    }

    @Test("A cap on sms counts sms messages only; an all-channel cap counts every one")
    func capsByChannel() {
        let policy = ContactPolicy(caps: [cap(.only(["sms"]), 1, "7 days"), cap(.all, 3, "7 days")])
        let admission = ContactAdmission(policy: policy)
        let customer = UUID()
        let verdicts = admission.decide(
            [
                candidate(customer, "twilio"), candidate(customer, "smtp"), candidate(customer, "sns"),
                candidate(customer, "ses"),
                candidate(customer, "webhook"),
            ],
            contacts: [:], now: now)
        #expect(verdicts == [.admit, .admit, .skip(.capped), .admit, .skip(.capped)])
    }

    @Test("In quiet hours a message is deferred to their end and leaves the cap's room to the next")
    func quietHoursDefer() {
        let quiet = QuietHours(start: LocalTime("11:00")!, end: LocalTime("13:00")!, channels: .only(["email"]))
        let admission = ContactAdmission(policy: ContactPolicy(caps: [cap(.all, 1, "1 day")], quietHours: quiet))
        let customer = UUID()
        let verdicts = admission.decide([candidate(customer, "smtp"), candidate(customer, "twilio")], contacts: [:], now: now)
        #expect(verdicts == [.defer(until: now.addingTimeInterval(3600)), .admit])
    }

    @Test("Quiet hours with action skip end the message as skipped for quiet_hours")
    func quietHoursSkip() {
        let quiet = QuietHours(start: LocalTime("11:00")!, end: LocalTime("13:00")!, action: .skip)
        let admission = ContactAdmission(policy: ContactPolicy(quietHours: quiet))
        #expect(admission.decide([candidate(UUID())], contacts: [:], now: now) == [.skip(.quietHours)])
    }

    @Test("A message the ledger counts already (a retried attempt) is sent again without a new count")
    func alreadyCounted() {
        let admission = ContactAdmission(policy: ContactPolicy(caps: [cap(.all, 1, "1 day")]))
        let customer = UUID()
        let contacts = [customer: [ContactAdmission.Contact(channelType: "smtp", countedAt: now.addingTimeInterval(-60))]]
        let verdicts = admission.decide([candidate(customer, counted: true), candidate(customer)], contacts: contacts, now: now)
        #expect(verdicts == [.admitCounted, .skip(.capped)])
    }
}

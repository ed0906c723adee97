import Testing
import TuttiDomain

@Suite("Campaign lifecycle")
struct CampaignLifecycleTests {
    @Test func aCampaignIsLaunchedPausedResumedAndCancelled() throws {
        var lifecycle = CampaignLifecycle(state: .draft)
        #expect(try lifecycle.apply(.change) == .draft)
        #expect(try lifecycle.apply(.launch) == .scheduled)
        #expect(try lifecycle.apply(.pause) == .paused)
        #expect(try lifecycle.apply(.resume, hasOccurrences: false) == .scheduled, "nothing opened yet: back to waiting")
        #expect(try lifecycle.apply(.cancel) == .cancelled)
        #expect(try lifecycle.apply(.delete) == .cancelled)
    }

    @Test func aRunningCampaignResumesRunning() throws {
        var lifecycle = CampaignLifecycle(state: .running)
        #expect(try lifecycle.apply(.pause) == .paused)
        #expect(try lifecycle.apply(.resume, hasOccurrences: true) == .running)
    }

    @Test(arguments: [
        (CampaignState.draft, [CampaignAction.launch, .cancel, .change, .delete]),
        (.scheduled, [.pause, .cancel]),
        (.running, [.pause, .cancel]),
        (.paused, [.resume, .cancel]),
        (.completed, [.delete]),
        (.cancelled, [.delete]),
    ])
    func eachStateAllowsOnlyItsActions(state: CampaignState, allowed: [CampaignAction]) {
        #expect(CampaignLifecycle(state: state).allowedActions == allowed)
        for action in CampaignAction.allCases where !allowed.contains(action) {
            var lifecycle = CampaignLifecycle(state: state)
            #expect(throws: CampaignLifecycle.Refusal(action: action, state: state)) { try lifecycle.apply(action) }
            #expect(lifecycle.state == state, "a refused action leaves the state as it was")
        }
    }
}

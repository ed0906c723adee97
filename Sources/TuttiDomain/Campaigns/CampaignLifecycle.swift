/// The campaign state machine the API's actions follow: which action each state allows and the
/// state it leads to. Pure; the store persists a decision with a compare-and-set on the state
/// it was taken from, so two requests racing from the same state cannot both win.
///
/// - `change` (PATCH) only in draft: once launched, the template and segment versions are
///   pinned and some customers may already have their message; to change a launched
///   campaign, cancel it and launch a clone.
/// - `pause` from scheduled or running; `resume` from paused, back to running when an
///   occurrence has opened, to scheduled otherwise (the engine opens it when it is due; a
///   recurring campaign's tick that passed while paused opens at once, once).
/// - `cancel` from anything not final. `delete` only when nothing can still send: draft,
///   completed or cancelled (cancel a live campaign first).
/// - `clone` is allowed in every state and does not change the campaign.
public struct CampaignLifecycle: Sendable, Hashable {
    public private(set) var state: CampaignState

    public init(state: CampaignState) {
        self.state = state
    }

    /// Why an action was refused: the campaign's state does not allow it.
    public struct Refusal: Error, Sendable, Hashable {
        public var action: CampaignAction
        public var state: CampaignState
        /// The actions the state does allow, for the problem's detail.
        public var allowed: [CampaignAction] { CampaignLifecycle(state: state).allowedActions }

        public init(action: CampaignAction, state: CampaignState) {
            self.action = action
            self.state = state
        }
    }

    /// The actions the current state allows, in ``CampaignAction``'s order.
    public var allowedActions: [CampaignAction] {
        CampaignAction.allCases.filter { (try? target(of: $0, hasOccurrences: true)) != nil }
    }

    /// Applies `action` and returns the state it leads to (`delete` leaves the state as it is:
    /// the row is marked deleted). `hasOccurrences` says whether the engine has opened one,
    /// which decides where `resume` leads.
    @discardableResult
    public mutating func apply(_ action: CampaignAction, hasOccurrences: Bool = false) throws(Refusal) -> CampaignState {
        state = try target(of: action, hasOccurrences: hasOccurrences)
        return state
    }

    private func target(of action: CampaignAction, hasOccurrences: Bool) throws(Refusal) -> CampaignState {
        switch (action, state) {
        case (.launch, .draft): return .scheduled
        case (.pause, .scheduled), (.pause, .running): return .paused
        case (.resume, .paused): return hasOccurrences ? .running : .scheduled
        case (.cancel, let state) where !state.isFinal: return .cancelled
        case (.change, .draft): return .draft
        case (.delete, .draft), (.delete, .completed), (.delete, .cancelled): return state
        default: throw Refusal(action: action, state: state)
        }
    }
}

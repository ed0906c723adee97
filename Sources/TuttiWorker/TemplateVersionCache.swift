import Foundation
import TuttiDomain
import TuttiStore
import TuttiTemplates

/// Template versions compiled once per worker: a version never changes once saved, so an
/// entry never goes stale; the cache only bounds how many it keeps.
actor TemplateVersionCache {
    private var entries: [TemplateVersionKey: CompiledTemplate] = [:]
    private let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The compiled version, from the cache or loaded through `session` and compiled; nil when
    /// the version does not exist or no longer compiles.
    func compiled(_ key: TemplateVersionKey, session: TenantSession) async throws -> CompiledTemplate? {
        if let entry = entries[key] { return entry }
        guard let template = try await session.templateVersion(id: key.templateID, version: key.version)?.template else {
            return nil
        }
        guard let compiled = try? TemplateCompiler.compile(template).template else { return nil }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = compiled
        return compiled
    }
}

/// One version of one tenant's template.
struct TemplateVersionKey: Hashable, Sendable {
    var tenantID: UUID
    var templateID: UUID
    var version: Int
}

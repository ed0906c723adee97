import Foundation
import Hummingbird
import Logging
import TuttiRuntime

extension APIRequestContext {
    /// The UUID in path parameter `name`; a 400 problem when it is not one.
    public func uuidParameter(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw Problem.badRequest("`\(parameters.get(name) ?? "")` is not a valid id (a UUID).", slug: "invalid-id")
        }
        return id
    }
}

import Hummingbird
import TuttiDomain
import TuttiRuntime

extension Request {
    /// The page a list request asks for (`limit`, `cursor`); a 400 `invalid-query` problem when
    /// either could not have come from us.
    func pageRequest() throws -> PageRequest {
        do throws(ValidationError) {
            return try PageRequest(limit: uri.queryParameters["limit"].map(String.init), cursor: uri.queryParameters["cursor"].map(String.init))
        } catch {
            throw Problem.badRequest("\(error.field) \(error.message).", slug: "invalid-query")
        }
    }
}

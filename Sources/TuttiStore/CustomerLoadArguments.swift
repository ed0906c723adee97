import Foundation
import PostgresNIO
import TuttiDomain

/// Where a customer read starts, as both `customer_load` and `customer_load_json` take it: the
/// tenant, then an identity or a customer id.
struct CustomerLoadArguments: Sendable {
    static let dataTypes: [PostgresDataType] = [.uuid, .text, .text, .uuid]

    var tenantID: UUID
    var type: String?
    var value: String?
    var id: UUID?

    init(tenantID: UUID, identity: Identity?, id: UUID?) {
        self.tenantID = tenantID
        type = identity?.type.description
        value = identity?.value
        self.id = id
    }

    /// `$1` to `$4` of either function.
    func bindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(tenantID)
        bindings.append(type)
        bindings.append(value)
        bindings.append(id)
        return bindings
    }
}

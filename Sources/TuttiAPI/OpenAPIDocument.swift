import Foundation
import Hummingbird
import Logging

/// The OpenAPI 3.1 description of this API (`Sources/TuttiAPI/Resources/openapi.json`),
/// served at `GET /openapi.json`. A test keeps it and the router describing the same routes.
public enum OpenAPIDocument {
    /// The document's bytes, loaded from the module's resources.
    public static let data: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return Data("{}".utf8) }
        return data
    }()

    static func addRoute(to router: Router<APIRequestContext>) {
        let buffer = ByteBuffer(bytes: data)
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
        }
    }
}

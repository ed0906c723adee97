import Foundation
import Logging
import PostgresNIO
import Hummingbird
import HTTPTypes
import Testing
import TuttiAPI
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    @Test func documentAndRouterDescribeTheSameRoutes() async throws {
        let configuration = try await TuttiConfiguration.forTesting()
        let client = PostgresClient(configuration: configuration.database.url.clientConfiguration(maximumConnections: 1), backgroundLogger: TestDatabase.logger)
        let catalog = try MigrationCatalog.load(directory: TestDatabase.sqlDirectory)
        let router = buildRouter(
            dependencies: APIDependencies(database: Database(client: client), configuration: configuration),
            readiness: ReadinessCheck(client: client, catalog: catalog))
        let served = Set(router.routes.map { "\($0.method.rawValue) \(Self.normalize($0.path.description))" })

        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.data) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        let described = Set(paths.flatMap { path, operations in
            operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(Self.normalize(path))" }
        })

        #expect(served.subtracting(described).isEmpty, "routes the document does not describe: \(served.subtracting(described).sorted())")
        #expect(described.subtracting(served).isEmpty, "documented routes the router does not serve: \(described.subtracting(served).sorted())")
    }

    /// `/v1/api-keys/:id` and `/v1/api-keys/{id}` are the same route.
    static func normalize(_ path: String) -> String {
        "/" + path.split(separator: "/").map { segment in
            segment.hasPrefix(":") || (segment.hasPrefix("{") && segment.hasSuffix("}")) ? "{}" : String(segment)
        }.joined(separator: "/")
    }
}

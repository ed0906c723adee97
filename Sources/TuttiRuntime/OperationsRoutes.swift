import Foundation
import Hummingbird
import Prometheus

/// `GET /health/live`, `GET /health/ready` and `GET /metrics`, served by every process.
public enum OperationsRoutes {
    public static func add<Context: RequestContext>(to router: Router<Context>, readiness: ReadinessCheck) {
        router.get("/health/live") { _, _ in
            jsonResponse(#"{"status":"live"}"#)
        }
        router.get("/health/ready") { _, context -> Response in
            if let failure = await readiness.failure(logger: context.logger) {
                throw Problem.serviceUnavailable("Not ready: \(failure).")
            }
            return jsonResponse(#"{"status":"ready"}"#)
        }
        router.get("/metrics") { _, _ -> Response in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16 * 1024)
            TuttiMetrics.registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }

    static func jsonResponse(_ json: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}

import Logging
import PostgresNIO
import ServiceLifecycle
import TuttiStore

/// Keeps the API's ``APIKeyCache`` honest: holds a LISTEN on `tutti_api_keys`, evicts what each
/// notification names, and tells the cache whether it is subscribed, since a cache that cannot
/// hear revocations must not serve anything (see ``APIKeyCache``).
///
/// It takes one connection of the pool for as long as the process runs, and after an error
/// reconnects once a second; the cache stays off in between.
struct APIKeyRevocationListener: Service {
    let client: PostgresClient
    let cache: APIKeyCache
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await listen()
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func listen() async {
        do {
            try await client.withConnection { connection in
                try await connection.listen(on: APIKeyNotification.channel) { notifications in
                    // listen(on:) calls this once the LISTEN is in place.
                    cache.setListening(true)
                    defer { cache.setListening(false) }
                    for try await notification in notifications {
                        if let news = APIKeyNotification(payload: notification.payload) { cache.evict(news) }
                    }
                }
            }
        } catch {
            if Task.isCancelled { return }
            logger.warning(
                "LISTEN \(APIKeyNotification.channel) failed; API keys are checked with the database until it is back",
                metadata: ["error": "\(error)"])
        }
        cache.setListening(false)
    }
}

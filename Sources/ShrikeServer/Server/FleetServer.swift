import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ShrikeCore

/// `shrike server`: the HTTP API and the web console over a store, the re-matcher and retention, until SIGINT or
/// SIGTERM.
package struct FleetServer: Sendable {
    package let configuration: ServerConfiguration
    package let store: any ServerStore
    package let metrics = ServerMetrics()
    package let rematcher: Rematcher
    /// The console's live feed: what ingest publishes and each open feed page's stream reads.
    package let feed = ConsoleAlertFeed()

    package init(configuration: ServerConfiguration, store: any ServerStore) {
        self.configuration = configuration
        self.store = store
        rematcher = Rematcher(store: store, advisoryPath: configuration.advisoryDatabase)
    }

    /// Serves until a shutdown signal; `onListening` gets the bound port (useful with port 0).
    package func run(log: @escaping @Sendable (String) -> Void,
                     onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let configuration = self.configuration
        try configuration.validate()
        let router = Router(context: ServerContext.self)
        let renderer = try ConsoleRenderer()
        router.middlewares.add(AuthMiddleware(store: store, metrics: metrics))
        router.middlewares.add(ConsoleMiddleware(store: store, renderer: renderer))
        APIRoutes(store: store, metrics: metrics, rematcher: rematcher, limits: configuration.limits, feed: feed)
            .register(on: router)
        ConsoleRoutes(store: store, feed: feed, renderer: renderer, secure: configuration.tlsCertificate != nil)
            .register(on: router)
        var logger = Logger(label: "shrike-server")
        logger.logLevel = .error
        let scheme = configuration.tlsCertificate == nil ? "http" : "https"
        let app = Application(
            router: router, server: try serverBuilder(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "shrike"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                log("listening on \(scheme)://\(configuration.host):\(port) (store \(configuration.database))")
                onListening(port)
            },
            logger: logger)
        let rematcher = self.rematcher, store = self.store, metrics = self.metrics, feed = self.feed
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await rematcher.run(every: configuration.rematchInterval, log: log) }
            group.addTask {
                while !Task.isCancelled {
                    do {
                        metrics.evicted(try await store.evict(configuration.retention, now: Date()))
                    } catch {
                        log("retention failed: \(error)")
                    }
                    try? await Task.sleep(for: configuration.retentionInterval)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    await feed.keepalive()
                }
            }
            try await app.runService()
            await feed.close()
            group.cancelAll()
        }
    }

    private func serverBuilder() throws -> HTTPServerBuilder {
        guard let certificate = configuration.tlsCertificate, let key = configuration.tlsKey else { return .http1() }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey))
            if let ca = configuration.tlsClientCA {
                tls.trustRoots = .file(ca)
                tls.certificateVerification = .noHostnameVerification
            }
            return try .tls(.http1(), tlsConfiguration: tls)
        } catch {
            throw ShrikeError(.malformed, "cannot load the TLS certificate or key: \(error)", input: certificate)
        }
    }
}

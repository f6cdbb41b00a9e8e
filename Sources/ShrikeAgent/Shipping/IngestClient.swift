import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ShrikeAlerting
import ShrikeCore

/// Posts ingest bodies to the server: bearer token, JSON, TLS verified against the system's CAs or `caFile`, with
/// the client certificate when one is set.
package final class IngestClient: Sendable {
    package let settings: ServerSettings
    private let client: HTTPClient

    /// - Throws: `ShrikeError(.io)` naming the CA file or client certificate or key when it cannot be read.
    package init(settings: ServerSettings) throws {
        self.settings = settings
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .milliseconds(Int64(settings.connectTimeout * 1000)),
                                      read: .milliseconds(Int64(settings.connectTimeout * 6000)))
        if let caFile = settings.caFile {
            configuration.tlsConfiguration = try TrustedCAFile.tlsConfiguration(caFile: caFile, purpose: "server's")
        }
        if let identity = settings.clientCertificate {
            var tls = configuration.tlsConfiguration ?? .makeClientConfiguration()
            try TrustedCAFile.present(certificate: identity.certificate, key: identity.key, in: &tls)
            configuration.tlsConfiguration = tls
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Sends one request; throws only when no answer came (connection refused, reset, timeout, TLS failure).
    package func post(_ body: [UInt8], timeout: Double) async throws -> IngestReply {
        var request = HTTPClientRequest(url: settings.ingestURL)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(settings.token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "shrike-agent")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .milliseconds(Int64(max(timeout, 0.05) * 1000)))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        let retryAfter = response.headers.first(name: "Retry-After")
            .flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        return IngestReply(status: Int(response.status.code), retryAfter: retryAfter,
                           body: Array(buffer.readableBytesView))
    }

    package func shutdown() async {
        try? await client.shutdown()
    }
}

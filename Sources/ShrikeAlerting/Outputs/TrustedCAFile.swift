import NIOSSL
import ShrikeCore

/// TLS that trusts only the CA certificates of a PEM file (`--ca-file`), for the webhook output and the agent's
/// server client.
package enum TrustedCAFile {
    /// - Parameter purpose: what the certificates are for, in messages (`webhook`, `server's`).
    /// - Throws: `ShrikeError(.io)` naming the file when it cannot be read or holds no certificate.
    package static func tlsConfiguration(caFile: String, purpose: String) throws -> TLSConfiguration {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(caFile)
        } catch {
            throw ShrikeError(.io, "cannot read the \(purpose) CA file: \(error); give a PEM file of CA certificates",
                              input: caFile)
        }
        guard !certificates.isEmpty else {
            throw ShrikeError(.io, "the \(purpose) CA file holds no PEM certificate", input: caFile)
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(certificates)
        return tls
    }
}

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

    /// Adds a client certificate chain and its private key (PEM files) for servers that require one
    /// (`shrike server --tls-client-ca`).
    /// - Throws: `ShrikeError(.io)` naming the file that cannot be read or holds no certificate or key.
    package static func present(certificate: String, key: String, in tls: inout TLSConfiguration) throws {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw ShrikeError(.io, "cannot read the client certificate: \(error); give a PEM certificate chain",
                              input: certificate)
        }
        guard !chain.isEmpty else { throw ShrikeError(.io, "the client certificate file holds no PEM certificate", input: certificate) }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw ShrikeError(.io, "cannot read the client key: \(error); give the PEM private key of the certificate",
                              input: key)
        }
        tls.certificateChain = chain.map { .certificate($0) }
        tls.privateKey = .privateKey(privateKey)
    }
}

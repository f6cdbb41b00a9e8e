import Foundation

/// A throwaway PKI made by the real `openssl` command: a CA, a server certificate it signed for 127.0.0.1 and
/// localhost, a second CA that signed nothing the server has (to be distrusted), and a client CA with a client
/// certificate (for `--tls-client-ca`). EC P-256 keys, valid for two days, all PEM files in `directory`.
public struct TestCertificates: Sendable {
    public let directory: String
    public var ca: String { directory + "/ca.pem" }
    public var serverCertificate: String { directory + "/server.pem" }
    public var serverKey: String { directory + "/server.key" }
    public var otherCA: String { directory + "/other-ca.pem" }
    public var clientCA: String { directory + "/client-ca.pem" }
    public var clientCertificate: String { directory + "/client.pem" }
    public var clientKey: String { directory + "/client.key" }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Makes them in `directory` (which must exist); `extraServerNames` are DNS names the server certificate also
    /// covers.
    /// - Throws: `Failure` naming the openssl step that failed, or that openssl is not installed.
    public init(in directory: String, extraServerNames: [String] = []) throws {
        guard let openssl = ExternalTool.find("openssl") else {
            throw Failure(description: "openssl is not installed (apt-get install openssl)")
        }
        self.directory = directory
        func run(_ arguments: [String]) throws {
            let result = try ExternalTool.run([openssl] + arguments)
            guard result.status == 0 else {
                throw Failure(description: "openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(result.stderr)")
            }
        }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for (name, subject) in [("ca", "Shrike test CA"), ("other-ca", "Someone else's CA"), ("client-ca", "Shrike client CA")] {
            try run(["req", "-x509"] + key + ["-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).pem",
                     "-days", "2", "-subj", "/CN=\(subject)", "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        }
        for (name, ca, usage) in [("server", "ca", "serverAuth"), ("client", "client-ca", "clientAuth")] {
            try run(["req"] + key + ["-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).csr",
                                     "-subj", "/CN=\(name == "server" ? "127.0.0.1" : "node-1")"])
            let extensions = "\(directory)/\(name).ext"
            try ("basicConstraints=CA:FALSE\nextendedKeyUsage=\(usage)\n"
                 + (name == "server" ? "subjectAltName=" + (["IP:127.0.0.1", "DNS:localhost"]
                                                           + extraServerNames.map { "DNS:" + $0 }).joined(separator: ",")
                                       + "\n" : ""))
                .write(toFile: extensions, atomically: true, encoding: .utf8)
            try run(["x509", "-req", "-in", "\(directory)/\(name).csr", "-CA", "\(directory)/\(ca).pem",
                     "-CAkey", "\(directory)/\(ca).key", "-CAcreateserial", "-out", "\(directory)/\(name).pem",
                     "-days", "2", "-extfile", extensions])
        }
    }

    /// The server's `--tls-*` options; with `requireClient`, client certificates from `clientCA` are required and
    /// `get`/`post` present one.
    public func serverTLS(requireClient: Bool = false) -> ShrikeServerProcess.TLS {
        ShrikeServerProcess.TLS(certificate: serverCertificate, key: serverKey, trusted: ca,
                                clientCA: requireClient ? clientCA : nil,
                                clientCertificate: requireClient ? (clientCertificate, clientKey) : nil)
    }
}

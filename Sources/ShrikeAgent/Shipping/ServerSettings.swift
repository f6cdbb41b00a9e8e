#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ShrikeCore

/// Where and how an agent reaches `shrike server`: `--server URL`, `--token-file FILE`, `--ca-file F`, and a client
/// certificate for a server that requires one.
public struct ServerSettings: Sendable, Equatable {
    /// The server's base URL, without a trailing slash (`https://shrike.example:8443`).
    public var url: String
    public var token: String
    /// PEM CA certificates to trust instead of the system's.
    public var caFile: String?
    /// A PEM client certificate chain and its key, presented to a server started with `--tls-client-ca`.
    public var clientCertificate: (certificate: String, key: String)? {
        get { clientCertificateFile.map { ($0, clientKeyFile ?? "") } }
        set { (clientCertificateFile, clientKeyFile) = (newValue?.certificate, newValue?.key) }
    }
    private var clientCertificateFile: String?
    private var clientKeyFile: String?
    /// Seconds to connect (the read timeout is six times it).
    public var connectTimeout: Double = 5

    /// - Throws: `ShrikeError(.usage)` for a URL that is not http(s) or an empty token.
    public init(url: String, token: String, caFile: String? = nil,
                clientCertificate: (certificate: String, key: String)? = nil) throws {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        guard let parsed = URL(string: base), let scheme = parsed.scheme?.lowercased(),
              scheme == "http" || scheme == "https", parsed.host?.isEmpty == false else {
            throw ShrikeError(.usage, "--server takes an http:// or https:// URL of a shrike server", input: url)
        }
        guard !token.isEmpty else { throw ShrikeError(.usage, "the server token is empty") }
        self.url = base
        self.token = token
        self.caFile = caFile
        self.clientCertificate = clientCertificate
    }

    /// `URL/api/v1/ingest`.
    public var ingestURL: String { url + "/api/v1/ingest" }

    /// Reads a token file: its first line, without the trailing newline or spaces.
    ///
    /// - Returns: the token and, when other users may read the file, a warning to print.
    /// - Throws: `ShrikeError(.io)` naming the file when it cannot be read; `.usage` when it is empty.
    public static func readToken(file: String) throws -> (token: String, warning: String?) {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ShrikeError(.io, "cannot read the token file; create it with the token `shrike server token "
                              + "create --role agent` printed", input: file)
        }
        let text = String(decoding: data, as: UTF8.self)
        let token = String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw ShrikeError(.usage, "the token file is empty", input: file) }
        var info = stat()
        var warning: String?
        if stat(file, &info) == 0, info.st_mode & 0o004 != 0 {
            warning = "\(file): the token file is readable by every user; chmod 600 it"
        }
        return (token, warning)
    }
}

import ArgumentParser
import ShrikeAgent
import ShrikeCore
import ShrikeReport

/// `--server URL --token-file FILE [--spool-dir DIR] [--spool-max-bytes N] [--server-client-cert F --server-client-key
/// F]`: where an agent ships, shared by `watch`, `sbom` and `scan`.
struct ServerOptions: ParsableArguments {
    @Option(name: .customLong("server"), help: "Ship to this shrike server (http:// or https:// URL).")
    var server: String?

    @Option(name: .customLong("token-file"), help: "File holding the server's agent token (one line).")
    var tokenFile: String?

    @Option(name: .customLong("spool-dir"),
            help: "Where records wait for the server (default /var/lib/shrike/spool, ~/.cache/shrike/spool for users).")
    var spoolDirectory: String?

    @Option(name: .customLong("spool-max-bytes"), help: "The spool's bound, e.g. 256M (default); the oldest go first.")
    var spoolMaxBytes: String?

    @Option(name: .customLong("server-client-cert"),
            help: "PEM client certificate chain for a server that requires one (shrike server --tls-client-ca).")
    var clientCertificate: String?

    @Option(name: .customLong("server-client-key"), help: "PEM private key of --server-client-cert.")
    var clientKey: String?

    func validate() throws {
        if server != nil && tokenFile == nil { throw ValidationError("--server needs --token-file") }
        if (clientCertificate == nil) != (clientKey == nil) {
            throw ValidationError("--server-client-cert and --server-client-key go together")
        }
        if server == nil && clientCertificate != nil {
            throw ValidationError("--server-client-cert and --server-client-key go with --server")
        }
        if server == nil && (tokenFile != nil || spoolDirectory != nil || spoolMaxBytes != nil) {
            throw ValidationError("--token-file, --spool-dir and --spool-max-bytes go with --server")
        }
        if let spoolMaxBytes, (ByteCount.parse(spoolMaxBytes) ?? 0) < 64 << 10 {
            throw ValidationError("--spool-max-bytes must be a size of at least 64K (e.g. 256M), not '\(spoolMaxBytes)'")
        }
    }

    /// The agent's settings, or nil without `--server`. Warns on stderr when the token file is world-readable.
    /// - Throws: `ShrikeError` for an unreadable token file or a bad URL.
    func agentConfiguration(heartbeat: Double = 30, caFile: String? = nil) throws -> AgentConfiguration? {
        guard let server, let tokenFile else { return nil }
        let (token, warning) = try ServerSettings.readToken(file: tokenFile)
        if let warning { Terminal.warning(warning) }
        let identity = clientCertificate.flatMap { certificate in clientKey.map { (certificate, $0) } }
        let settings = try ServerSettings(url: server, token: token, caFile: caFile, clientCertificate: identity)
        return AgentConfiguration(server: settings, spoolDirectory: spoolDirectory,
                                  spoolMaxBytes: spoolMaxBytes.flatMap(ByteCount.parse).map { Int($0) },
                                  heartbeatInterval: heartbeat,
                                  identity: AgentIdentity.current(version: ShrikeTool.version))
    }
}

import ShrikeAgent

/// `shrike sbom|scan … --server`: hands the JSON result to the agent's spool and says on stderr what became of it.
enum ServerUpload {
    static func upload(_ kind: SpoolKind, body: [UInt8], configuration: AgentConfiguration) async throws {
        let outcome = try await AgentUpload.upload(kind, body: body, configuration: configuration,
                                                   log: { Terminal.write("shrike: \($0)\n", to: 2) })
        switch outcome {
        case .sent:
            Terminal.write("shrike: \(kind.wireName) uploaded to \(configuration.server.url)\n", to: 2)
        case .handedOff:
            Terminal.write("shrike: \(kind.wireName) spooled in \(configuration.spoolDirectory); the running agent "
                           + "ships it\n", to: 2)
        case .spooled(let records, let lastError):
            Terminal.warning("the server did not answer in time (\(lastError ?? "no answer")); \(records) records "
                             + "wait in \(configuration.spoolDirectory) for the next run")
        }
    }
}

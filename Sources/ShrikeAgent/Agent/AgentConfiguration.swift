/// The settings of an agent shipping to `shrike server` (`shrike watch --server …`).
public struct AgentConfiguration: Sendable {
    public var server: ServerSettings
    public var spoolDirectory: String
    public var spoolMaxBytes: Int
    /// Seconds between heartbeats.
    public var heartbeatInterval: Double
    public var identity: AgentIdentity
    public var shipper = Shipper.Options()
    /// Seconds the shutdown spends sending what is spooled; the rest waits in the spool for the next start.
    public var shutdownFlush = 2.0

    public init(server: ServerSettings, spoolDirectory: String? = nil, spoolMaxBytes: Int? = nil,
                heartbeatInterval: Double = 30, identity: AgentIdentity) {
        self.server = server
        self.spoolDirectory = spoolDirectory ?? Spool.defaultDirectory()
        self.spoolMaxBytes = spoolMaxBytes ?? Spool.defaultMaxBytes
        self.heartbeatInterval = heartbeatInterval
        self.identity = identity
    }
}

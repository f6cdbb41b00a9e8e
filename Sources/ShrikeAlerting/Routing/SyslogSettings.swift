/// Where and how the syslog output writes.
public struct SyslogSettings: Sendable, Equatable {
    public var facility: SyslogFacility
    public var framing: SyslogMessageFormatter.Framing
    /// The local syslog socket (`/dev/log`).
    public var socketPath: String

    public init(facility: SyslogFacility = .daemon, framing: SyslogMessageFormatter.Framing = .rfc3164,
                socketPath: String = "/dev/log") {
        self.facility = facility
        self.framing = framing
        self.socketPath = socketPath
    }
}

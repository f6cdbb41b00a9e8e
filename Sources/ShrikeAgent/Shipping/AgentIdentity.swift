#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Who is sending, as the `agent` object of an ingest request says (the server names the agent by its token; these
/// are for display).
public struct AgentIdentity: Sendable, Equatable {
    public var hostname: String
    /// Shrike's version (`ShrikeTool.version`).
    public var version: String
    /// `uname -r`.
    public var kernel: String

    public init(hostname: String, version: String, kernel: String) {
        self.hostname = hostname
        self.version = version
        self.kernel = kernel
    }

    /// This machine's host name and kernel release, with `version`.
    public static func current(version: String) -> AgentIdentity {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return AgentIdentity(hostname: ProcessInfo.processInfo.hostName, version: version, kernel: release)
    }
}

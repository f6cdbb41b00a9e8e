import Foundation
import ShrikeSensor

/// The body of a `heartbeat` record: who the agent is, how it is doing, and which images run here.
public struct Heartbeat: Sendable, Equatable {
    /// Seconds since the Unix epoch.
    public var time: Double
    public var identity: AgentIdentity
    /// Events the kernel dropped since the watch started (all categories).
    public var drops: UInt64
    public var spoolBytes: Int
    public var spoolRecords: Int
    public var evicted: UInt64
    /// Image digests (`sha256:…`) of the containers running now.
    public var running: [String]

    public init(time: Double, identity: AgentIdentity, drops: UInt64, spoolBytes: Int, spoolRecords: Int,
                evicted: UInt64, running: [String]) {
        self.time = time
        self.identity = identity
        self.drops = drops
        self.spoolBytes = spoolBytes
        self.spoolRecords = spoolRecords
        self.evicted = evicted
        self.running = running
    }

    /// `{"time":"2026-12-07T11:50:35Z","version":…,"kernel":…,"hostname":…,"drops":0,"spoolBytes":…,
    /// "spoolRecords":…,"evicted":0,"running":["sha256:…"]}`.
    public func json() -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"time":"#.utf8)
        JSONLiteral.append(string: Self.rfc3339(time), to: &out)
        out.append(contentsOf: #","version":"#.utf8)
        JSONLiteral.append(string: identity.version, to: &out)
        out.append(contentsOf: #","kernel":"#.utf8)
        JSONLiteral.append(string: identity.kernel, to: &out)
        out.append(contentsOf: #","hostname":"#.utf8)
        JSONLiteral.append(string: identity.hostname, to: &out)
        out.append(contentsOf: #","drops":"#.utf8)
        JSONLiteral.append(unsigned: drops, to: &out)
        out.append(contentsOf: #","spoolBytes":"#.utf8)
        JSONLiteral.append(integer: Int64(spoolBytes), to: &out)
        out.append(contentsOf: #","spoolRecords":"#.utf8)
        JSONLiteral.append(integer: Int64(spoolRecords), to: &out)
        out.append(contentsOf: #","evicted":"#.utf8)
        JSONLiteral.append(unsigned: evicted, to: &out)
        out.append(contentsOf: #","running":["#.utf8)
        for (index, digest) in running.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONLiteral.append(string: digest, to: &out)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    static func rfc3339(_ time: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: time.rounded(.down)))
    }
}

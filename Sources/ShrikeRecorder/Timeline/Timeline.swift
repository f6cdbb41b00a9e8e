/// What happened in one incident, arranged for people: the process tree, files touched by kind, network activity
/// and the alerts, plus a time-ordered list of the notable events. Encodes to the JSON of `docs/incidents.md`.
public struct Timeline: Codable, Sendable {
    /// Bumped when a field changes meaning; fields are only ever added.
    public var schemaVersion = 1
    public var incident: TimelineIncident
    public var processes: [TimelineProcess]
    /// Pids of processes whose parent is not in the incident, in start order.
    public var roots: [Int32]
    public var files: TimelineFiles
    public var network: TimelineNetwork
    public var alerts: [TimelineAlert]
    /// The notable events in time order (execs, exits, file changes, sensitive reads, network, privilege changes…).
    public var entries: [TimelineEntry]
    /// Notable events left out of `entries` beyond its limit.
    public var entriesOmitted: Int
}

public struct TimelineIncident: Codable, Sendable {
    public var id: String
    public var scope: IncidentScope
    /// `container 0123456789ab (web, nginx:1)` or `process tree of 812 (bash)`.
    public var scopeDescription: String
    public var openedAt: Timestamp
    public var closedAt: Timestamp
    public var start: Timestamp
    public var end: Timestamp
    public var firstRule: String
    public var priority: String
    public var alertCount: Int
    public var eventCount: Int
    public var droppedEvents: Int
    public var hostname: String
    public var closedEarly: Bool
}

/// One process (thread group) seen in the incident.
public struct TimelineProcess: Codable, Sendable {
    public var pid: Int32
    public var ppid: Int32
    public var name: String
    public var exe: String
    public var commandLine: String
    public var cwd: String
    public var uid: UInt32
    public var gid: UInt32
    /// The audit login uid, when set.
    public var loginuid: UInt32?
    /// `host` or the short container id.
    public var container: String
    /// The fork (or first exec, or first event) seen.
    public var start: Timestamp
    /// True when the start is the first event seen, not the fork or exec (the process is older than the window).
    public var startedBeforeWindow: Bool
    public var exit: Timestamp?
    public var exitCode: Int?
    public var exitSignal: Int?
    /// Every successful exec, in order.
    public var execs: [TimelineExec]
    /// True when at least one alert came from this process.
    public var alerted: Bool
    public var alertRules: [String]
    public var children: [Int32]
    public var eventCount: Int
}

public struct TimelineExec: Codable, Sendable {
    public var time: Timestamp
    public var exe: String
    public var commandLine: String
}

/// Files touched, grouped by what happened to them.
public struct TimelineFiles: Codable, Sendable {
    public var created: [FileTouch] = []
    public var modified: [FileTouch] = []
    public var deleted: [FileTouch] = []
    public var renamed: [FileTouch] = []
    public var permissionsChanged: [FileTouch] = []
    public var sensitiveReads: [FileTouch] = []
}

/// One file touched in one way by one process (repeats folded into `count`).
public struct FileTouch: Codable, Sendable {
    public var time: Timestamp
    public var lastTime: Timestamp
    public var count: Int
    public var path: String
    /// The destination of a rename or link.
    public var target: String?
    public var pid: Int32
    public var process: String
    /// The syscall (`openat`, `unlinkat`, `fchmodat`, …).
    public var syscall: String
    /// Octal mode bits for creations and chmod.
    public var mode: String?
    /// `uid:gid` for chown.
    public var owner: String?
    /// `O_WRONLY|O_CREAT|…` for opens.
    public var flags: String?
    /// True when the call failed (the attempt is still shown).
    public var failed: Bool
    /// The errno name or number when it failed.
    public var error: String?
}

/// Network activity, by direction.
public struct TimelineNetwork: Codable, Sendable {
    public var connections: [NetworkTouch] = []
    public var listeners: [NetworkTouch] = []
    public var peers: [NetworkTouch] = []
}

/// One endpoint used in one way by one process (repeats folded into `count`).
public struct NetworkTouch: Codable, Sendable {
    public var time: Timestamp
    public var lastTime: Timestamp
    public var count: Int
    public var pid: Int32
    public var process: String
    /// `tcp`, `udp`, `unix`, `raw`, or the family (`inet`, `inet6`) when the socket type is unknown.
    public var `protocol`: String
    public var family: String
    /// The IP address or unix socket path; nil when the kernel gave none (e.g. listen on an fd whose bind was not seen).
    public var address: String?
    public var port: UInt16?
    /// A DNS name seen for the address, when one was.
    public var hostName: String?
    public var syscall: String
    public var failed: Bool
    public var error: String?
}

/// An alert on the timeline.
public struct TimelineAlert: Codable, Sendable {
    public var time: Timestamp
    public var rule: String
    public var priority: String
    public var output: String
    public var pid: Int32
    public var process: String
    public var tags: [String]
    public var count: Int
}

/// One notable event in the time-ordered list.
public struct TimelineEntry: Codable, Sendable {
    public enum Lane: String, Codable, Sendable {
        case process, file, network, alert, other
    }

    public var time: Timestamp
    public var lane: Lane
    /// `exec`, `exit`, `fork`, `created`, `modified`, `deleted`, `renamed`, `permissions`, `sensitive-read`,
    /// `connect`, `listen`, `accept`, `alert`, `response`, `privilege`, `signal`, `mount`, `ptrace`, `module`, …
    public var kind: String
    public var pid: Int32
    public var process: String
    /// The depth of the process in the tree (0 for a root), for indentation.
    public var depth: Int
    /// One line saying what happened (a command line, a path, an endpoint or an alert's output).
    public var summary: String
    public var syscall: String
    public var failed: Bool
}

/// What the process table knows about one process (thread group).
public struct ProcessEntry: Sendable, Equatable {
    public var pid: Int32
    public var ppid: Int32
    public var uid: UInt32
    public var gid: UInt32
    public var loginuid: UInt32
    public var name: String
    public var exe: String
    public var args: [String] {
        didSet { cmdline = args.joined(separator: " ") }
    }
    /// `args` joined by spaces, kept so events don't join them again.
    public private(set) var cmdline: String
    public var cwd: String
    public var tty: UInt32
    /// Session id in the root pid namespace (`proc.sid`); 0 when unknown.
    public var sid: Int32
    /// Process group id in the root pid namespace (`proc.pgid`); 0 when unknown.
    public var pgid: Int32
    public var cgroupID: UInt64
    /// Boot-time nanoseconds when the process was forked (0 when it predates the sensor and /proc gave no time).
    public var startBootTime: UInt64
    /// The program runs from a memfd (fileless execution), as the kernel saw at exec.
    public var exeFromMemfd = false
    /// The pid and process group as the process's own pid namespace numbers them (they differ from `pid`/`pgid`
    /// inside containers); 0 when unknown.
    public var vpid: Int32 = 0
    public var vpgid: Int32 = 0
    /// Capability sets, from exec and the calls that change them; nil when unknown.
    public var capabilities: Capabilities?
    /// The executable's inode at exec; nil when unknown.
    public var executable: ExecutableInode?
    /// What the sensor last saw each socket descriptor do: connected, and the last peer it sent to or heard from
    /// (`fd.connected`, `fd.name_changed`).
    public var socketPeers: [Int32: SocketPeer] = [:]

    /// The connection state of one socket descriptor.
    public struct SocketPeer: Sendable, Equatable {
        public var connected: Bool
        /// `address:port` of the last peer; nil when none was named yet.
        public var endpoint: String?

        public init(connected: Bool, endpoint: String?) {
            self.connected = connected
            self.endpoint = endpoint
        }
    }
    /// Paths and socket kinds of descriptors the sensor saw being opened, for `*at(dirfd, …)`, fchdir and connect.
    public var descriptors: [Int32: Descriptor]

    /// What a file descriptor refers to.
    public enum Descriptor: Sendable, Equatable {
        case path(String)
        case socket(family: Int32, type: Int32)
    }

    /// At most this many descriptors are remembered per process (closes are not traced, so the map is a cache).
    static let descriptorLimit = 256

    public init(pid: Int32, ppid: Int32, uid: UInt32 = 0, gid: UInt32 = 0, loginuid: UInt32 = .max, name: String = "",
                exe: String = "", args: [String] = [], cwd: String = "/", tty: UInt32 = 0, sid: Int32 = 0,
                pgid: Int32 = 0, cgroupID: UInt64 = 0,
                startBootTime: UInt64 = 0, descriptors: [Int32: Descriptor] = [:]) {
        self.pid = pid
        self.ppid = ppid
        self.uid = uid
        self.gid = gid
        self.loginuid = loginuid
        self.name = name
        self.exe = exe
        self.args = args
        self.cmdline = args.joined(separator: " ")
        self.cwd = cwd
        self.tty = tty
        self.sid = sid
        self.pgid = pgid
        self.cgroupID = cgroupID
        self.startBootTime = startBootTime
        self.descriptors = descriptors
    }

    /// Records what a socket descriptor did; returns whether its peer changed (`fd.name_changed`).
    mutating func notePeer(fd: Int32, endpoint: String?, connects: Bool) -> (connected: Bool, nameChanged: Bool) {
        let previous = socketPeers[fd]
        let connected = connects || (previous?.connected ?? false)
        let changed = endpoint != nil && endpoint != previous?.endpoint
        if socketPeers.count >= Self.descriptorLimit, previous == nil, let victim = socketPeers.keys.first {
            socketPeers[victim] = nil
        }
        socketPeers[fd] = SocketPeer(connected: connected, endpoint: endpoint ?? previous?.endpoint)
        return (connected, changed)
    }

    mutating func remember(_ descriptor: Descriptor, fd: Int32) {
        if descriptors.count >= Self.descriptorLimit, descriptors[fd] == nil, let victim = descriptors.keys.first {
            descriptors[victim] = nil
        }
        descriptors[fd] = descriptor
    }
}

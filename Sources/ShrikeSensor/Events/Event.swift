/// One thing that happened on the machine, with the process that did it resolved from the process table.
public struct Event: Sendable {
    /// Nanoseconds since the Unix epoch (UTC).
    public var time: UInt64
    /// A syscall name (`openat`, `connect`, …), `execve` for a successful exec, `fork` or `exit`.
    public var type: String
    public var category: EventCategory
    /// The syscall's return value (a negative errno on failure); 0 for exec, fork and exit.
    public var ret: Int64
    public var process: ProcessSnapshot
    public var file: FileActivity?
    public var net: NetworkActivity?
    /// Further arguments by name (`uid`, `signal`, `target_pid`, `fstype`, `child_pid`, `exit_code`, …).
    public var arguments: [String: String]
    /// The first bytes of the data a send or receive moved (`evt.buffer`), when the sensor captures buffers.
    public var buffer: [UInt8]?

    public init(time: UInt64, type: String, category: EventCategory, ret: Int64, process: ProcessSnapshot,
                file: FileActivity? = nil, net: NetworkActivity? = nil, arguments: [String: String] = [:],
                buffer: [UInt8]? = nil) {
        self.buffer = buffer
        self.time = time
        self.type = type
        self.category = category
        self.ret = ret
        self.process = process
        self.file = file
        self.net = net
        self.arguments = arguments
    }

    /// True when a syscall returned an error.
    public var failed: Bool { ret < 0 }
}

/// The process behind an event, as the process table knew it at that moment.
public struct ProcessSnapshot: Sendable, Equatable {
    public var pid: Int32
    public var tid: Int32
    public var ppid: Int32
    public var uid: UInt32
    public var gid: UInt32
    /// The audit login uid; `UInt32.max` when unset.
    public var loginuid: UInt32
    /// The kernel's short name (comm, at most 15 bytes).
    public var name: String
    public var exe: String
    public var args: [String]
    /// The command line as a shell would show it (arguments joined by spaces; the name when there are none).
    public var cmdline: String
    public var cwd: String
    /// Encoded like `/proc/PID/stat`'s tty_nr; 0 without a terminal.
    public var tty: UInt32
    /// Session id in the root pid namespace (`proc.sid`); 0 when unknown (recordings made before it was kept).
    public var sid: Int32
    /// Process group id in the root pid namespace (`proc.pgid`); 0 when unknown.
    public var pgid: Int32
    public var container: ContainerInfo
    /// The program runs from a memfd (`memfd_create` + `fexecve`): fileless execution.
    public var exeFromMemfd: Bool
    /// The pid and process group in the process's own pid namespace (`proc.vpid`, `proc.vpgid`); 0 when unknown.
    public var vpid: Int32
    public var vpgid: Int32
    /// The thread's capability sets (`thread.cap_*`); nil when unknown.
    public var capabilities: Capabilities?
    /// The executable's inode at exec (`proc.exe_ino*`); nil when unknown.
    public var executable: ExecutableInode?
    /// When the process was forked, Unix epoch nanoseconds (`proc.pid.ts`); 0 when unknown.
    public var startTime: UInt64

    public init(pid: Int32, tid: Int32, ppid: Int32, uid: UInt32, gid: UInt32, loginuid: UInt32, name: String,
                exe: String, args: [String], cmdline: String? = nil, cwd: String, tty: UInt32,
                sid: Int32 = 0, pgid: Int32 = 0, container: ContainerInfo, exeFromMemfd: Bool = false,
                vpid: Int32 = 0, vpgid: Int32 = 0, capabilities: Capabilities? = nil,
                executable: ExecutableInode? = nil, startTime: UInt64 = 0) {
        self.vpid = vpid
        self.vpgid = vpgid
        self.capabilities = capabilities
        self.executable = executable
        self.startTime = startTime
        self.pid = pid
        self.tid = tid
        self.ppid = ppid
        self.uid = uid
        self.gid = gid
        self.loginuid = loginuid
        self.name = name
        self.exe = exe
        self.args = args
        self.cmdline = cmdline ?? (args.isEmpty ? name : args.joined(separator: " "))
        self.cwd = cwd
        self.tty = tty
        self.sid = sid
        self.pgid = pgid
        self.container = container
        self.exeFromMemfd = exeFromMemfd
    }
}

/// What an event did to a file.
public struct FileActivity: Sendable, Equatable {
    /// Absolute path (resolved against the cwd or directory fd); the source for rename and link.
    public var path: String
    /// The second path: the destination of rename/link, the link name of symlink, the mount point of mount.
    public var target: String?
    /// open flags (O_*), when the syscall has them.
    public var flags: Int32?
    /// mode bits for open/creat/mkdir/chmod.
    public var mode: UInt32?
    /// The fd the call returned or used, when there is one.
    public var fd: Int32?
    /// The path exactly as the program passed it, for opens whose path was relative or not normal (`../../etc/x`);
    /// nil when it equals `path`. Rules look for directory traversal in it (`fd.nameraw`).
    public var rawPath: String?

    public init(path: String, target: String? = nil, flags: Int32? = nil, mode: UInt32? = nil, fd: Int32? = nil,
                rawPath: String? = nil) {
        self.path = path
        self.target = target
        self.flags = flags
        self.mode = mode
        self.fd = fd
        self.rawPath = rawPath
    }
}

/// What an event did on the network.
public struct NetworkActivity: Sendable, Equatable {
    public enum Role: String, Sendable {
        /// The remote end of a connect.
        case destination
        /// The peer an accept returned.
        case peer
        /// The local address of bind/listen.
        case local
        /// A socket was created; no address yet.
        case socket
    }

    public var family: SocketFamily
    public var role: Role
    /// An IP address or a unix socket path (`@name` for abstract sockets); nil when the kernel gave none.
    public var address: String?
    public var port: UInt16?
    /// SOCK_STREAM, SOCK_DGRAM, … when known from the socket call.
    public var socketType: Int32?
    public var fd: Int32?
    /// The name a DNS answer seen shortly before gave for `address` (the name the client asked for, through any
    /// CNAMEs); nil when the sensor captures no DNS answers or saw none for it.
    public var hostName: String?
    /// Whether the socket is connected (`fd.connected`): it connected or was accepted; nil when not tracked.
    public var connected: Bool?
    /// Whether this event named a peer other than the socket's last one (`fd.name_changed`): a datagram to a new
    /// destination; nil when not tracked.
    public var nameChanged: Bool?

    public init(family: SocketFamily, role: Role, address: String? = nil, port: UInt16? = nil,
                socketType: Int32? = nil, fd: Int32? = nil, hostName: String? = nil) {
        self.family = family
        self.role = role
        self.address = address
        self.port = port
        self.socketType = socketType
        self.fd = fd
        self.hostName = hostName
    }

    /// `address:port` (IPv6 in brackets) or the unix path.
    public var endpoint: String? {
        guard let address else { return nil }
        guard let port else { return address }
        return family == .inet6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }

    /// "tcp"/"udp"/"unix"/"raw" from family and socket type, when known.
    public var transport: String? {
        switch family {
        case .unix: return "unix"
        case .inet, .inet6:
            switch (socketType ?? -1) & 0xf {
            case 1: return "tcp"
            case 2: return "udp"
            case 3: return "raw"
            default: return nil
            }
        default: return nil
        }
    }
}

/// Address families the sensor decodes.
public enum SocketFamily: Sendable, Equatable {
    case unix, inet, inet6, netlink
    case other(Int)

    public init(rawValue: Int) {
        switch rawValue {
        case 1: self = .unix
        case 2: self = .inet
        case 10: self = .inet6
        case 16: self = .netlink
        default: self = .other(rawValue)
        }
    }

    public var name: String {
        switch self {
        case .unix: "unix"
        case .inet: "inet"
        case .inet6: "inet6"
        case .netlink: "netlink"
        case .other(let value): "af\(value)"
        }
    }
}

/// Which container a process runs in; `id == "host"` for processes outside any container.
public struct ContainerInfo: Sendable, Equatable, Hashable {
    /// The first 12 hex digits of the container id (as `docker ps` and Falco's `container.id` show it), or `host`.
    public var id: String
    /// The whole 64-digit id; `host` for the host.
    public var fullID: String
    /// The runtime's name for the container; empty when its metadata was not readable (never guessed).
    public var name: String
    /// The image reference the container was created from; empty when unknown.
    public var image: String
    /// docker, podman, containerd, cri-o; empty for the host or when the cgroup layout did not say.
    public var runtime: String
    /// Whether the container runs privileged (all capabilities, nothing masked), as its runtime's files say; nil for
    /// the host and when no readable file says.
    public var privileged: Bool?
    /// When the container started, Unix epoch nanoseconds (`container.start_ts`); nil for the host and when unknown.
    public var startTime: UInt64?
    /// Host paths mounted into the container (`container.mount*`); nil for the host and when unknown.
    public var mounts: [ContainerMount]?

    public init(fullID: String, name: String = "", image: String = "", runtime: String = "", privileged: Bool? = nil,
                startTime: UInt64? = nil, mounts: [ContainerMount]? = nil) {
        self.startTime = startTime
        self.mounts = mounts
        self.id = fullID == "host" ? fullID : String(fullID.prefix(12))
        self.fullID = fullID
        self.name = name
        self.image = image
        self.runtime = runtime
        self.privileged = privileged
    }

    public static let host = ContainerInfo(fullID: "host")
    public var isHost: Bool { fullID == "host" }
}

extension SocketFamily {
    /// `AF_INET`, `AF_PACKET`, … as Falco prints a socket's domain; `AF_<n>` for the rest.
    public static func domainName(_ value: Int) -> String {
        switch value {
        case 1: "AF_UNIX"
        case 2: "AF_INET"
        case 10: "AF_INET6"
        case 16: "AF_NETLINK"
        case 17: "AF_PACKET"
        case 40: "AF_VSOCK"
        default: "AF_\(value)"
        }
    }

    /// `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_RAW`, … from a socket type (flags like SOCK_CLOEXEC masked off).
    public static func typeName(_ value: Int32) -> String {
        switch value & 0xf {
        case 1: "SOCK_STREAM"
        case 2: "SOCK_DGRAM"
        case 3: "SOCK_RAW"
        case 4: "SOCK_RDM"
        case 5: "SOCK_SEQPACKET"
        case 10: "SOCK_PACKET"
        default: "SOCK_\(value & 0xf)"
        }
    }
}

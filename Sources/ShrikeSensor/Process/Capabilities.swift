/// A thread's capability sets as the kernel holds them in its credentials (bit N = capability N).
public struct Capabilities: Sendable, Equatable, Hashable {
    public var effective: UInt64
    public var permitted: UInt64
    public var inheritable: UInt64

    public init(effective: UInt64, permitted: UInt64, inheritable: UInt64) {
        self.effective = effective
        self.permitted = permitted
        self.inheritable = inheritable
    }

    /// Capability names by number (include/uapi/linux/capability.h, through CAP_CHECKPOINT_RESTORE = 40).
    public static let names = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ]

    /// The set as Falco prints `thread.cap_*`: the names of its capabilities in number order, separated by spaces
    /// (`CAP_N` for numbers newer than this table).
    public static func describe(_ mask: UInt64) -> String {
        var parts: [String] = []
        for bit in 0..<64 where mask & (1 << UInt64(bit)) != 0 {
            parts.append(bit < names.count ? names[bit] : "CAP_\(bit)")
        }
        return parts.joined(separator: " ")
    }

    /// Parses the hexadecimal masks of /proc/PID/status (`CapEff:\t000001ffffffffff`).
    public init?(statusLines lines: some Sequence<Substring>) {
        var effective: UInt64?, permitted: UInt64?, inheritable: UInt64?
        for line in lines {
            let value = { UInt64(line.split(separator: "\t").last ?? "", radix: 16) }
            if line.hasPrefix("CapEff:") { effective = value() }
            if line.hasPrefix("CapPrm:") { permitted = value() }
            if line.hasPrefix("CapInh:") { inheritable = value() }
        }
        guard let effective, let permitted, let inheritable else { return nil }
        self.init(effective: effective, permitted: permitted, inheritable: inheritable)
    }
}

/// The file a process runs, as its inode was at exec: `proc.exe_ino`, `proc.exe_ino.ctime`, `proc.exe_ino.mtime`.
public struct ExecutableInode: Sendable, Equatable, Hashable {
    public var inode: UInt64
    /// Inode change time, Unix epoch nanoseconds (a file written or `chmod`ed just before it ran has a recent one).
    public var changeTime: UInt64
    /// Modification time, Unix epoch nanoseconds.
    public var modificationTime: UInt64

    public init(inode: UInt64, changeTime: UInt64, modificationTime: UInt64) {
        self.inode = inode
        self.changeTime = changeTime
        self.modificationTime = modificationTime
    }
}

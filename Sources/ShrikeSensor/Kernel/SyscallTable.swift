/// The syscalls the sensor knows, by name and by this architecture's numbers.
public struct SyscallTable: Sendable {
    public let syscalls: [Syscall]
    private let byNumber: [Int: Syscall]
    private let byName: [String: Syscall]

    public init(_ syscalls: [Syscall]) {
        self.syscalls = syscalls
        byNumber = Dictionary(syscalls.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        byName = Dictionary(syscalls.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(number: Int) -> Syscall? { byNumber[number] }
    public subscript(name: String) -> Syscall? { byName[name] }

    /// The table for the machine this binary runs on, or nil where the sensor does not support the architecture.
    public static var current: SyscallTable? {
        #if arch(x86_64)
        return x86_64
        #else
        return nil
        #endif
    }

    /// Syscalls the process table itself needs to stay right (cwd changes and failed execs).
    /// Descriptor copies keep the table's fd → path map right for `*at(dirfd, …)` calls (rm -rf, find, tar use them).
    /// setsid and setpgid keep each process's session and process group (`proc.sid`, `proc.pgid`) right; capset and
    /// the set*uid calls its capabilities (`thread.cap_*`), which change after exec too.
    public static let processTableNeeds = Set(["chdir", "fchdir", "dup", "dup2", "dup3", "fcntl", "setsid", "setpgid"])
        .union(capabilityChanges)

    /// Syscalls after which the kernel reads the caller's session and process group into the record.
    public static let sessionChanges: Set<String> = ["setsid", "setpgid"]

    /// Syscalls that can change the caller's capability sets; the kernel reads them into the record after the call.
    public static let capabilityChanges: Set<String> = ["capset", "setuid", "setreuid", "setresuid", "setfsuid"]

    /// x86_64 numbers from arch/x86/entry/syscalls/syscall_64.tbl.
    public static let x86_64 = SyscallTable([
        // Files. Paths are read at exit; `*at` calls carry the directory fd in argument 0.
        Syscall("open", 2, .file, [(.path, 0)]),
        Syscall("creat", 85, .file, [(.path, 0)]),
        Syscall("openat", 257, .file, [(.path, 1)]),
        Syscall("openat2", 437, .file, [(.path, 1), (.sockaddr, 2)]),
        Syscall("unlink", 87, .file, [(.path, 0)]),
        Syscall("unlinkat", 263, .file, [(.path, 1)]),
        Syscall("rmdir", 84, .file, [(.path, 0)]),
        Syscall("rename", 82, .file, [(.path, 0), (.path, 1)]),
        Syscall("renameat", 264, .file, [(.path, 1), (.path, 3)]),
        Syscall("renameat2", 316, .file, [(.path, 1), (.path, 3)]),
        Syscall("mkdir", 83, .file, [(.path, 0)]),
        Syscall("mkdirat", 258, .file, [(.path, 1)]),
        Syscall("chmod", 90, .file, [(.path, 0)]),
        Syscall("fchmod", 91, .file),
        Syscall("fchmodat", 268, .file, [(.path, 1)]),
        Syscall("chown", 92, .file, [(.path, 0)]),
        Syscall("lchown", 94, .file, [(.path, 0)]),
        Syscall("fchown", 93, .file),
        Syscall("fchownat", 260, .file, [(.path, 1)]),
        Syscall("symlink", 88, .file, [(.path, 0), (.path, 1)]),
        Syscall("symlinkat", 266, .file, [(.path, 0), (.path, 2)]),
        Syscall("link", 86, .file, [(.path, 0), (.path, 1)]),
        Syscall("linkat", 265, .file, [(.path, 1), (.path, 3)]),
        Syscall("chdir", 80, .process, [(.path, 0)]),
        Syscall("fchdir", 81, .process),
        Syscall("memfd_create", 319, .file, [(.path, 0)]),
        Syscall("dup", 32, .file),
        Syscall("dup2", 33, .file),
        Syscall("dup3", 292, .file),
        // Only F_DUPFD and F_DUPFD_CLOEXEC are reported (filtered in the kernel): descriptor copies, as fts makes.
        Syscall("fcntl", 72, .file),
        Syscall("mount", 165, .other, [(.path, 0), (.path, 1), (.path, 2)]),
        Syscall("umount2", 166, .other, [(.path, 0)]),
        // Network.
        Syscall("socket", 41, .network),
        Syscall("connect", 42, .network, [(.sockaddr, 1)]),
        Syscall("accept", 43, .network, [(.sockaddrFromPointer, 1)]),
        Syscall("accept4", 288, .network, [(.sockaddrFromPointer, 1)]),
        Syscall("bind", 49, .network, [(.sockaddr, 1)]),
        Syscall("listen", 50, .network),
        // Datagram traffic: sends name their destination (only those are reported), receives their source.
        Syscall("sendto", 44, .network, [(.sockaddr, 4), (.buffer, 1)], addressedOnly: true),
        Syscall("sendmsg", 46, .network, [(.messageName, 1), (.messageBuffer, 1)], addressedOnly: true),
        Syscall("recvfrom", 45, .network, [(.sockaddrFromPointer, 4), (.buffer, 1)]),
        Syscall("recvmsg", 47, .network, [(.messageName, 1), (.messageBuffer, 1)]),
        // Privileges, processes, kernel.
        Syscall("execve", 59, .process, [(.path, 0)], reportFailuresOnly: true),
        Syscall("execveat", 322, .process, [(.path, 1)], reportFailuresOnly: true),
        Syscall("setuid", 105, .process),
        Syscall("setgid", 106, .process),
        Syscall("setreuid", 113, .process),
        Syscall("setregid", 114, .process),
        Syscall("setresuid", 117, .process),
        Syscall("setresgid", 119, .process),
        Syscall("setfsuid", 122, .process),
        Syscall("capset", 126, .process),
        Syscall("setsid", 112, .process),
        Syscall("setpgid", 109, .process),
        Syscall("ptrace", 101, .process),
        Syscall("kill", 62, .process),
        Syscall("setns", 308, .process),
        Syscall("unshare", 272, .process),
        Syscall("init_module", 175, .other, [(.path, 2)]),
        Syscall("finit_module", 313, .other, [(.path, 1)]),
    ])
}

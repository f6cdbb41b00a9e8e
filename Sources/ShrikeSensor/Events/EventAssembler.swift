/// Turns kernel records into `Event`s: resolves paths, decodes sockaddrs and arguments, attaches the process (from
/// the process table, which it keeps current) and its container.
public struct EventAssembler: Sendable {
    public internal(set) var processes: ProcessTable
    public private(set) var containers: ContainerResolver
    public let syscalls: SyscallTable
    public let clock: BootClock
    /// Names from the DNS answers seen so far; network events whose address is here carry its name.
    public private(set) var hostNames: HostNameCache
    /// The response rules by the index the response program reports (`EnforcementPlan.ruleNames`).
    public var responseRuleNames: [String] = []

    public init(syscalls: SyscallTable, processes: ProcessTable = ProcessTable(),
                containers: ContainerResolver = ContainerResolver(), clock: BootClock = BootClock(),
                hostNames: HostNameCache = HostNameCache()) {
        self.syscalls = syscalls
        self.processes = processes
        self.containers = containers
        self.clock = clock
        self.hostNames = hostNames
    }

    /// Learns the addresses of a DNS answer record (`KernelRecord.Kind.dns`); returns how many it named. Anything
    /// that is not a well-formed, successful response teaches nothing.
    @discardableResult
    public mutating func learnHostNames(from record: KernelRecord) -> Int {
        guard record.kind == .dns, let message = DNSMessageParser.parse(record.bytes(0)) else { return 0 }
        return hostNames.learn(message, now: record.bootTime)
    }

    /// Calls `body` with the process table in place (no copy); the pointer is valid only during the call.
    public mutating func withProcesses<Result>(_ body: (UnsafePointer<ProcessTable>) throws -> Result) rethrows
        -> Result {
        try withUnsafePointer(to: &processes, body)
    }

    /// Loads the processes that were running before the sensor started.
    public mutating func seedProcesses() {
        processes.seed(clock: clock)
    }

    /// Drops table entries of processes that are gone (their exit event was lost).
    public mutating func sweepProcesses(isAlive: (Int32) -> Bool) -> Int {
        processes.sweep(isAlive: isAlive)
    }

    /// The event for a record; nil for records of syscalls the table does not know.
    public mutating func event(from record: KernelRecord) -> Event? {
        switch record.kind {
        case .exec: return exec(record)
        case .fork: return fork(record)
        case .exit: return exit(record)
        case .syscall: return syscall(record)
        // A DNS answer is no event of its own: no process received it yet (see `learnHostNames`).
        case .dns: return nil
        case .response: return response(record)
        }
    }

    func snapshot(_ entry: ProcessEntry, _ record: KernelRecord, container: ContainerInfo) -> ProcessSnapshot {
        ProcessSnapshot(pid: record.pid, tid: record.tid, ppid: record.ppid, uid: record.uid, gid: record.gid,
                        loginuid: record.loginuid, name: record.comm, exe: entry.exe, args: entry.args,
                        cmdline: entry.args.isEmpty ? record.comm : entry.cmdline, cwd: entry.cwd, tty: entry.tty, sid: entry.sid, pgid: entry.pgid,
                        container: container,
                        exeFromMemfd: entry.exeFromMemfd, vpid: entry.vpid, vpgid: entry.vpgid,
                        capabilities: entry.capabilities, executable: entry.executable,
                        startTime: entry.startBootTime > 0 ? clock.wallNanoseconds(boot: entry.startBootTime) : 0)
    }

    mutating func container(_ record: KernelRecord) -> ContainerInfo {
        containers.container(pid: record.pid, cgroupID: record.cgroupID, now: record.bootTime)
    }

    private mutating func exec(_ record: KernelRecord) -> Event {
        var entry = processes.entry(for: record.pid, ppid: record.ppid, comm: record.comm, clock: clock)
        let filename = record.string(0) ?? ""
        var args = record.bytes(1)
            .split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if args.last == "" { args.removeLast() }
        entry.exe = filename.isEmpty ? entry.exe : PathResolver.resolve(filename, against: entry.cwd)
        entry.args = args.isEmpty ? [filename] : args
        entry.name = record.comm
        entry.uid = record.uid
        entry.gid = record.gid
        entry.loginuid = record.loginuid
        entry.tty = record.tty
        if record.sid > 0 { entry.sid = record.sid }
        if record.pgid > 0 { entry.pgid = record.pgid }
        entry.ppid = record.ppid
        entry.cgroupID = record.cgroupID
        entry.exeFromMemfd = record.string(2)?.hasPrefix("memfd:") ?? false
        if let info = record.execInfo {
            entry.capabilities = Capabilities(effective: info.cap_effective, permitted: info.cap_permitted,
                                              inheritable: info.cap_inheritable)
            entry.executable = info.exe_ino == 0 ? nil
                : ExecutableInode(inode: info.exe_ino, changeTime: info.exe_ctime_ns,
                                  modificationTime: info.exe_mtime_ns)
            if info.vpid > 0 { entry.vpid = Int32(bitPattern: info.vpid) }
            entry.vpgid = Int32(bitPattern: info.vpgid)
        }
        // exec closes O_CLOEXEC descriptors; the rest stay, but a stale cache is worse than none.
        entry.descriptors = [:]
        entry.socketPeers = [:]
        processes.update(entry)
        let container = container(record)
        return Event(time: clock.wallNanoseconds(boot: record.bootTime), type: "execve", category: .process, ret: 0,
                     process: snapshot(entry, record, container: container),
                     file: FileActivity(path: entry.exe), arguments: ["filename": filename])
    }

    private mutating func fork(_ record: KernelRecord) -> Event {
        let parent = processes.entry(for: record.pid, ppid: record.ppid, comm: record.comm, clock: clock)
        let child = Int32(truncatingIfNeeded: record.arg(1))
        let childTid = Int32(truncatingIfNeeded: record.arg(0))
        let isThread = record.arg(2) != 0
        if !isThread {
            processes.fork(parent: parent, child: child, time: record.bootTime,
                           vpid: Int32(truncatingIfNeeded: record.arg(3)))
        }
        let container = container(record)
        return Event(time: clock.wallNanoseconds(boot: record.bootTime), type: "fork", category: .process, ret: 0,
                     process: snapshot(parent, record, container: container),
                     arguments: ["child_pid": String(child), "child_tid": String(childTid),
                                 "thread": isThread ? "true" : "false"])
    }

    private mutating func exit(_ record: KernelRecord) -> Event {
        let entry = processes.entry(for: record.pid, ppid: record.ppid, comm: record.comm, clock: clock)
        let container = container(record)
        processes.remove(record.pid)
        let raw = UInt32(truncatingIfNeeded: record.arg(0))
        var arguments = ["exit_code": String((raw >> 8) & 0xff)]
        if raw & 0x7f != 0 { arguments["signal"] = String(raw & 0x7f) }
        if raw & 0x80 != 0 { arguments["core_dumped"] = "true" }
        return Event(time: clock.wallNanoseconds(boot: record.bootTime), type: "exit", category: .process, ret: 0,
                     process: snapshot(entry, record, container: container), arguments: arguments)
    }

    private mutating func syscall(_ record: KernelRecord) -> Event? {
        guard let call = syscalls[record.syscall] else { return nil }
        // Taken out of the table while it changes, so its descriptor map is uniquely referenced and mutates in place
        // (a copy per event would cost more than everything else here).
        var entry = processes.take(record.pid, ppid: record.ppid, comm: record.comm, clock: clock)
        let ret = record.ret
        let succeeded = ret >= 0
        var file: FileActivity?
        var net: NetworkActivity?
        var arguments: [String: String] = [:]
        var buffer: [UInt8]?
        let int32 = { (index: Int) in Int32(truncatingIfNeeded: record.arg(index)) }
        let uint32 = { (index: Int) in UInt32(truncatingIfNeeded: record.arg(index)) }

        // `path` resolves a string slot against a directory fd (AT_FDCWD = the cwd).
        var firstRawPath: String?
        func path(_ slot: Int, dirfd: Int32 = PathResolver.currentDirectoryFD) -> String {
            let raw = record.string(slot) ?? ""
            if firstRawPath == nil { firstRawPath = raw }
            if raw.hasPrefix("/") { return PathResolver.normalize(raw) }
            return PathResolver.resolve(raw, against: directory(of: dirfd, entry: entry, pid: record.pid))
        }

        switch call.name {
        case "open":
            let flags = int32(1)
            file = FileActivity(path: path(0), flags: flags, mode: flags & OpenFlags.create != 0 ? uint32(2) : nil,
                                fd: succeeded ? Int32(ret) : nil)
        case "creat":
            file = FileActivity(path: path(0), flags: OpenFlags.writeOnly | OpenFlags.create | OpenFlags.truncate,
                                mode: uint32(1), fd: succeeded ? Int32(ret) : nil)
        case "openat":
            let flags = int32(2)
            file = FileActivity(path: path(0, dirfd: int32(0)), flags: flags,
                                mode: flags & OpenFlags.create != 0 ? uint32(3) : nil, fd: succeeded ? Int32(ret) : nil)
        case "openat2":
            // struct open_how { u64 flags; u64 mode; u64 resolve; }
            let how = Array(record.bytes(1))
            let flags = how.count >= 8 ? Int32(truncatingIfNeeded: littleEndian(how, 0)) : 0
            let mode = how.count >= 16 ? UInt32(truncatingIfNeeded: littleEndian(how, 8)) : 0
            file = FileActivity(path: path(0, dirfd: int32(0)), flags: flags,
                                mode: flags & OpenFlags.create != 0 ? mode : nil, fd: succeeded ? Int32(ret) : nil)
        case "unlink", "rmdir":
            file = FileActivity(path: path(0))
        case "unlinkat":
            file = FileActivity(path: path(0, dirfd: int32(0)))
            if int32(2) & 0x200 != 0 { arguments["flags"] = "AT_REMOVEDIR" }
        case "rename":
            file = FileActivity(path: path(0), target: path(1))
        case "renameat", "renameat2":
            file = FileActivity(path: path(0, dirfd: int32(0)), target: path(1, dirfd: int32(2)))
            if call.name == "renameat2", record.arg(4) != 0 { arguments["flags"] = String(record.arg(4)) }
        case "mkdir":
            file = FileActivity(path: path(0), mode: uint32(1))
        case "mkdirat":
            file = FileActivity(path: path(0, dirfd: int32(0)), mode: uint32(2))
        case "chmod":
            file = FileActivity(path: path(0), mode: uint32(1))
        case "fchmod":
            file = FileActivity(path: directory(of: int32(0), entry: entry, pid: record.pid), mode: uint32(1),
                                fd: int32(0))
        case "fchmodat":
            file = FileActivity(path: path(0, dirfd: int32(0)), mode: uint32(2))
        case "chown", "lchown":
            file = FileActivity(path: path(0))
            arguments["uid"] = String(Int32(truncatingIfNeeded: record.arg(1)))
            arguments["gid"] = String(Int32(truncatingIfNeeded: record.arg(2)))
        case "fchown":
            file = FileActivity(path: directory(of: int32(0), entry: entry, pid: record.pid), fd: int32(0))
            arguments["uid"] = String(Int32(truncatingIfNeeded: record.arg(1)))
            arguments["gid"] = String(Int32(truncatingIfNeeded: record.arg(2)))
        case "fchownat":
            file = FileActivity(path: path(0, dirfd: int32(0)))
            arguments["uid"] = String(Int32(truncatingIfNeeded: record.arg(2)))
            arguments["gid"] = String(Int32(truncatingIfNeeded: record.arg(3)))
        case "symlink":
            // path = the new link; target = what it points to, as written (a symlink's target is not resolved).
            file = FileActivity(path: path(1), target: record.string(0) ?? "")
        case "symlinkat":
            file = FileActivity(path: path(1, dirfd: int32(1)), target: record.string(0) ?? "")
        case "link":
            file = FileActivity(path: path(0), target: path(1))
        case "linkat":
            file = FileActivity(path: path(0, dirfd: int32(0)), target: path(1, dirfd: int32(2)))
        case "memfd_create":
            file = FileActivity(path: "memfd:" + (record.string(0) ?? ""), fd: succeeded ? Int32(ret) : nil)
        case "mount":
            file = FileActivity(path: path(1))
            arguments["source"] = record.string(0) ?? ""
            arguments["fstype"] = record.string(2) ?? ""
            arguments["flags"] = String(record.arg(3))
        case "umount2":
            file = FileActivity(path: path(0))
            arguments["flags"] = String(record.arg(1))
        case "chdir":
            let target = path(0)
            file = FileActivity(path: target)
            if succeeded { entry.cwd = target }
        case "fchdir":
            let target = directory(of: int32(0), entry: entry, pid: record.pid)
            file = FileActivity(path: target, fd: int32(0))
            if succeeded { entry.cwd = target }
        case "socket":
            let family = int32(0), type = int32(1)
            if succeeded { entry.socketPeers[Int32(ret)] = nil }
            net = NetworkActivity(family: SocketFamily(rawValue: Int(family)), role: .socket, socketType: type,
                                  fd: succeeded ? Int32(ret) : nil)
            arguments["protocol"] = String(int32(2))
            arguments["domain"] = SocketFamily.domainName(Int(family))
            arguments["type"] = SocketFamily.typeName(type)
            if succeeded { entry.remember(.socket(family: family, type: type), fd: Int32(ret)) }
        case "bind":
            net = network(Array(record.bytes(0)), role: .local, fd: int32(0), entry: entry)
        case "connect":
            var activity = network(Array(record.bytes(0)), role: .destination, fd: int32(0), entry: entry)
            // A non-blocking connect in progress (EINPROGRESS) connects as far as rules are concerned.
            let connects = succeeded || ret == -115
            let peer = entry.notePeer(fd: int32(0), endpoint: connects ? activity.endpoint : nil, connects: connects)
            activity.connected = peer.connected
            activity.nameChanged = peer.nameChanged
            net = activity
        case "accept", "accept4":
            let listening = int32(0)
            var activity = network(Array(record.bytes(0)), role: .peer, fd: listening, entry: entry)
            activity.fd = succeeded ? Int32(ret) : nil
            if succeeded, case .socket(let family, let type)? = entry.descriptors[listening] {
                entry.remember(.socket(family: family, type: type), fd: Int32(ret))
            }
            if succeeded {
                let peer = entry.notePeer(fd: Int32(ret), endpoint: activity.endpoint, connects: true)
                activity.connected = peer.connected
                activity.nameChanged = peer.nameChanged
            }
            net = activity
        case "sendto", "sendmsg", "recvfrom", "recvmsg":
            let sends = call.name.hasPrefix("send")
            var activity = network(Array(record.bytes(0)), role: sends ? .destination : .peer, fd: int32(0),
                                   entry: entry)
            if succeeded {
                let peer = entry.notePeer(fd: int32(0), endpoint: activity.endpoint, connects: false)
                activity.connected = peer.connected
                activity.nameChanged = peer.nameChanged
            }
            net = activity
            let data = record.bytes(1)
            if !data.isEmpty { buffer = Array(data) }
            arguments["size"] = String(record.arg(2))
        case "listen":
            var activity = NetworkActivity(family: .other(0), role: .local, fd: int32(0))
            if case .socket(let family, let type)? = entry.descriptors[int32(0)] {
                activity.family = SocketFamily(rawValue: Int(family))
                activity.socketType = type
            }
            net = activity
            arguments["backlog"] = String(int32(1))
        case "execve", "execveat":
            file = FileActivity(path: call.name == "execve" ? path(0) : path(0, dirfd: int32(0)))
        case "dup", "dup2", "dup3", "fcntl":
            // The new descriptor is what the old one was: a reverse shell dup2()s a connected socket onto 0, 1, 2.
            let old = int32(0)
            arguments["oldfd"] = String(old)
            if call.name == "fcntl" {
                arguments["cmd"] = int32(1) == 1030 ? "F_DUPFD_CLOEXEC" : "F_DUPFD"
            } else if call.name != "dup" {
                arguments["newfd"] = String(int32(1))
            }
            let newFD: Int32? = succeeded ? Int32(ret) : nil
            if let newFD = succeeded ? Int32(ret) : nil { entry.socketPeers[newFD] = entry.socketPeers[old] }
            switch entry.descriptors[old] {
            case .socket(let family, let type)?:
                net = NetworkActivity(family: SocketFamily(rawValue: Int(family)), role: .socket, socketType: type,
                                      fd: newFD)
                if let newFD { entry.remember(.socket(family: family, type: type), fd: newFD) }
            case .path(let path)?:
                file = FileActivity(path: path, fd: newFD)
            case nil:
                break
            }
        case "setuid", "setgid":
            arguments[call.name == "setuid" ? "uid" : "gid"] = String(Int32(truncatingIfNeeded: record.arg(0)))
        case "setreuid", "setregid":
            let kind = call.name == "setreuid" ? "uid" : "gid"
            arguments["r" + kind] = String(int32(0))
            arguments["e" + kind] = String(int32(1))
        case "setresuid", "setresgid":
            let kind = call.name == "setresuid" ? "uid" : "gid"
            arguments["r" + kind] = String(int32(0))
            arguments["e" + kind] = String(int32(1))
            arguments["s" + kind] = String(int32(2))
        case "setsid", "setpgid":
            if call.name == "setpgid" {
                arguments["pid"] = String(int32(0))
                arguments["pgid"] = String(int32(1))
            }
            // The kernel read both ids after the call, numbered in the root pid namespace (the return value and
            // setpgid's arguments are in the caller's, which differs inside containers).
            if succeeded, record.sid > 0 { entry.sid = record.sid }
            if succeeded, record.pgid > 0 { entry.pgid = record.pgid }
            if succeeded { entry.vpgid = Int32(truncatingIfNeeded: record.arg(4)) }
        case "ptrace":
            arguments["request"] = PtraceRequest.name(record.arg(0))
            arguments["target_pid"] = String(int32(1))
        case "kill":
            arguments["target_pid"] = String(int32(0))
            arguments["signal"] = String(int32(1))
        case "setns":
            arguments["fd"] = String(int32(0))
            arguments["nstype"] = String(int32(1))
        case "unshare":
            arguments["flags"] = "0x" + String(record.arg(0), radix: 16)
        case "init_module":
            arguments["params"] = record.string(0) ?? ""
        case "finit_module":
            file = FileActivity(path: directory(of: int32(0), entry: entry, pid: record.pid), fd: int32(0))
            arguments["params"] = record.string(0) ?? ""
        default:
            break
        }
        switch call.name {
        case "open", "openat", "openat2":
            if let raw = firstRawPath, raw != file?.path { file?.rawPath = raw }
        default:
            break
        }
        // The kernel read the caller's capability sets after the call into arguments 3–5 (those calls take three).
        if succeeded, SyscallTable.capabilityChanges.contains(call.name) {
            entry.capabilities = Capabilities(effective: record.arg(3), permitted: record.arg(4),
                                              inheritable: record.arg(5))
        }
        if succeeded, let opened = file, let fd = opened.fd, call.category == .file {
            entry.remember(.path(opened.path), fd: fd)
        }
        processes.update(entry)
        if !hostNames.isEmpty, let address = net?.address, net?.family == .inet || net?.family == .inet6 {
            net?.hostName = hostNames.name(for: address, now: record.bootTime)
        }
        let container = container(record)
        return Event(time: clock.wallNanoseconds(boot: record.bootTime), type: call.name, category: call.category,
                     ret: ret, process: snapshot(entry, record, container: container), file: file, net: net,
                     arguments: arguments, buffer: buffer)
    }

    /// The path a directory fd refers to: the cwd for AT_FDCWD, else what the sensor saw it opened as, else /proc.
    private func directory(of fd: Int32, entry: ProcessEntry, pid: Int32) -> String {
        if fd == PathResolver.currentDirectoryFD { return entry.cwd }
        if case .path(let path)? = entry.descriptors[fd] { return path }
        if let path = processes.procfs.descriptorPath(pid: pid, fd: fd), path.hasPrefix("/") { return path }
        return "<fd:\(fd)>"
    }

    private func network(_ bytes: [UInt8], role: NetworkActivity.Role, fd: Int32, entry: ProcessEntry) -> NetworkActivity {
        var socketType: Int32?
        var knownFamily: Int32?
        if case .socket(let family, let type)? = entry.descriptors[fd] {
            socketType = type
            knownFamily = family
        }
        guard let decoded = SocketAddressDecoder.decode(bytes) else {
            return NetworkActivity(family: SocketFamily(rawValue: Int(knownFamily ?? 0)), role: role,
                                   socketType: socketType, fd: fd)
        }
        return NetworkActivity(family: decoded.family, role: role, address: decoded.address, port: decoded.port,
                               socketType: socketType, fd: fd)
    }

    private func littleEndian(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        return value
    }
}

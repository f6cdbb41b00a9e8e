import ShrikeSensor

/// `evt.arg.NAME` and `evt.arg[N]` over Shrike's events, named as Falco names the exit event's parameters
/// (`name`/`flags`/`mode` of open, `oldpath`/`newpath` of rename, `target`/`linkpath` of symlink, …).
enum EventArguments {
    /// Falco's parameter names of each syscall's exit event, in order (`res` first, as Falco lists them).
    static let parameterNames: [String: [String]] = [
        "open": ["fd", "name", "flags", "mode"],
        "creat": ["fd", "name", "mode"],
        "openat": ["fd", "dirfd", "name", "flags", "mode"],
        "openat2": ["fd", "dirfd", "name", "flags", "mode"],
        "unlink": ["res", "path"],
        "unlinkat": ["res", "dirfd", "name", "flags"],
        "rmdir": ["res", "path"],
        "rename": ["res", "oldpath", "newpath"],
        "renameat": ["res", "olddirfd", "oldpath", "newdirfd", "newpath"],
        "renameat2": ["res", "olddirfd", "oldpath", "newdirfd", "newpath", "flags"],
        "mkdir": ["res", "path", "mode"],
        "mkdirat": ["res", "dirfd", "path", "mode"],
        "chmod": ["res", "filename", "mode"],
        "fchmod": ["res", "fd", "mode"],
        "fchmodat": ["res", "dirfd", "filename", "mode"],
        "chown": ["res", "path", "uid", "gid"],
        "lchown": ["res", "path", "uid", "gid"],
        "fchown": ["res", "fd", "uid", "gid"],
        "fchownat": ["res", "dirfd", "pathname", "uid", "gid"],
        "symlink": ["res", "target", "linkpath"],
        "symlinkat": ["res", "target", "linkdirfd", "linkpath"],
        "link": ["res", "oldpath", "newpath"],
        "linkat": ["res", "olddir", "oldpath", "newdir", "newpath"],
        "chdir": ["res", "path"],
        "fchdir": ["res", "fd"],
        "memfd_create": ["fd", "name"],
        "mount": ["res", "dev", "dir", "type", "flags"],
        "umount2": ["res", "name", "flags"],
        "socket": ["fd", "domain", "type", "proto"],
        "connect": ["res", "tuple", "fd"],
        "bind": ["res", "addr", "fd"],
        "accept": ["fd", "tuple"],
        "accept4": ["fd", "tuple"],
        "listen": ["res", "fd", "backlog"],
        "execve": ["res", "exe", "args", "tid", "pid", "ptid", "cwd", "filename"],
        "execveat": ["res", "exe"],
        "setuid": ["res", "uid"],
        "setgid": ["res", "gid"],
        "setreuid": ["res", "ruid", "euid"],
        "setregid": ["res", "rgid", "egid"],
        "setresuid": ["res", "ruid", "euid", "suid"],
        "setresgid": ["res", "rgid", "egid", "sgid"],
        "ptrace": ["res", "request", "pid"],
        "kill": ["res", "pid", "sig"],
        "setns": ["res", "fd", "nstype"],
        "unshare": ["res", "flags"],
        "init_module": ["res", "uargs"],
        "finit_module": ["res", "fd", "uargs", "flags"],
        "fork": ["res", "child_pid", "child_tid", "thread"],
        "exit": ["status", "exit_code", "signal", "core_dumped"],
    ]

    static func value(named name: String, in event: Event) -> String? {
        let file = event.file
        let net = event.net
        let type = event.type
        switch name {
        case "res":
            return String(event.ret)
        case "fd" where isFDResult(type):
            // open, socket, accept: the returned descriptor is the result.
            return String(event.ret)
        case "fd":
            if let fd = file?.fd ?? net?.fd { return String(fd) }
            return event.arguments["fd"]
        case "name", "path", "filename", "pathname", "exe", "dir":
            if type == "umount2" || type == "mount" { return file?.path }
            if (type == "symlink" || type == "symlinkat") && name != "linkpath" { return file?.path }
            return twoPath(type) ? nil : file?.path
        case "oldpath": return twoPath(type) ? file?.path : nil
        case "newpath": return twoPath(type) ? file?.target : nil
        case "target": return (type == "symlink" || type == "symlinkat") ? file?.target : nil
        case "linkpath": return (type == "symlink" || type == "symlinkat") ? file?.path : nil
        case "flags":
            if let flags = file?.flags, type.hasPrefix("open") || type == "creat" { return OpenFlags.describe(flags) }
            return event.arguments["flags"]
        case "mode": return file?.mode.map { "0" + String($0, radix: 8) }
        case "tuple", "addr":
            guard let net else { return nil }
            return SocketNames.name(net)
        case "dev": return event.arguments["source"]
        case "type" where type == "mount": return event.arguments["fstype"]
        case "sig": return event.arguments["signal"]
        case "pid" where type == "kill" || type == "ptrace": return event.arguments["target_pid"]
        case "uargs": return event.arguments["params"]
        case "proto": return event.arguments["protocol"]
        case "domain": return event.arguments["domain"] ?? net.map { $0.family.name }
        case "type" where type == "socket": return net?.socketType.map(String.init)
        case "cwd": return event.process.cwd
        case "args": return event.process.args.dropFirst().joined(separator: " ")
        case "tid": return String(event.process.tid)
        case "ptid": return String(event.process.ppid)
        case "status": return event.arguments["exit_code"]
        default: return event.arguments[name]
        }
    }

    static func value(at index: Int, in event: Event) -> String? {
        guard let names = parameterNames[event.type], index >= 0, index < names.count else { return nil }
        return value(named: names[index], in: event)
    }

    /// `name=value` pairs of every parameter the event has, as Falco's `evt.args`.
    static func all(_ event: Event) -> String {
        let names = parameterNames[event.type] ?? Array(event.arguments.keys).sorted()
        return names.compactMap { name in value(named: name, in: event).map { "\(name)=\($0)" } }
            .joined(separator: " ")
    }

    static func twoPath(_ type: String) -> Bool {
        switch type {
        case "rename", "renameat", "renameat2", "link", "linkat": return true
        default: return false
        }
    }

    static func isFDResult(_ type: String) -> Bool {
        switch type {
        case "open", "openat", "openat2", "creat", "memfd_create", "socket", "accept", "accept4": return true
        default: return false
        }
    }
}

/// Falco's `fd.name` for sockets: `client:port->server:port`, or the unix path.
enum SocketNames {
    static func name(_ net: NetworkActivity) -> String? {
        switch net.family {
        case .unix: return net.address
        case .inet, .inet6:
            guard let endpoint = net.endpoint else { return nil }
            switch net.role {
            case .destination: return "->" + endpoint
            case .peer: return endpoint + "->"
            case .local: return endpoint
            case .socket: return nil
            }
        default: return net.address
        }
    }
}

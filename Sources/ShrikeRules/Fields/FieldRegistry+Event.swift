#if canImport(Glibc)
import Glibc
#endif
import ShrikeSensor

extension FieldRegistry {
    static func string(_ get: @escaping @Sendable (EvaluationContext) -> String?) -> Definition {
        Definition(type: .string) { _ in .string(get) }
    }
    static func number(_ get: @escaping @Sendable (EvaluationContext) -> Int64?) -> Definition {
        Definition(type: .number) { _ in .number(get) }
    }
    static func bool(_ get: @escaping @Sendable (EvaluationContext) -> Bool?) -> Definition {
        Definition(type: .bool) { _ in .bool(get) }
    }

    /// True for the open family (a switch on small strings beats hashing them).
    static func isOpen(_ type: String) -> Bool {
        switch type {
        case "openat", "open", "openat2", "creat": true
        default: false
        }
    }

    static var eventFields: [String: Definition] {
        var fields: [String: Definition] = [
            "evt.type": string { $0.event.type },
            "evt.num": number { Int64(truncatingIfNeeded: $0.eventNumber) },
            "evt.dir": string { _ in "<" },
            "evt.source": string { _ in "syscall" },
            "evt.hostname": string { $0.hostname },
            "evt.rawtime": number { Int64(truncatingIfNeeded: $0.event.time) },
            "evt.rawtime.s": number { Int64($0.event.time / 1_000_000_000) },
            "evt.rawtime.ns": number { Int64($0.event.time % 1_000_000_000) },
            "evt.time": string { EventTime.format($0.event.time, date: false, nanoseconds: true) },
            "evt.time.s": string { EventTime.format($0.event.time, date: false, nanoseconds: false) },
            "evt.time.iso8601": string { EventTime.iso8601($0.event.time) },
            "evt.datetime": string { EventTime.format($0.event.time, date: true, nanoseconds: true) },
            "evt.datetime.s": string { EventTime.format($0.event.time, date: true, nanoseconds: false) },
            "evt.reltime": number { _ in nil },
            "evt.res": string { $0.event.ret < 0 ? ErrnoNames.name(Int32(truncatingIfNeeded: -$0.event.ret)) : "SUCCESS" },
            "evt.rawres": number { $0.event.ret },
            "evt.failed": bool { $0.event.ret < 0 },
            "evt.category": string {
                switch $0.event.category {
                case .file: "file"
                case .network: "net"
                case .process: "process"
                case .other: "other"
                }
            },
            "evt.args": string { EventArguments.all($0.event) },
            "evt.is_open_read": bool { context in
                guard isOpen(context.event.type), let flags = context.event.file?.flags else { return false }
                return flags & 0o3 == 0 || flags & 0o3 == 0o2
            },
            "evt.is_open_write": bool { context in
                guard isOpen(context.event.type), let flags = context.event.file?.flags else { return false }
                return flags & 0o3 == 0o1 || flags & 0o3 == 0o2
            },
            "evt.is_open_create": bool { context in
                guard isOpen(context.event.type), let flags = context.event.file?.flags else { return false }
                return flags & OpenFlags.create != 0
            },
            "evt.is_open_exec": bool { context in
                guard isOpen(context.event.type), let file = context.event.file, let flags = file.flags
                else { return false }
                return flags & OpenFlags.create != 0 && (file.mode ?? 0) & 0o111 != 0
            },
        ]
        fields["evt.arg"] = Definition(type: .string, argument: .indexOrKey, argumentRequired: true) { argument in
            guard let argument else { return nil }
            if let index = Int(argument) { return .string { EventArguments.value(at: index, in: $0.event) } }
            return .string { EventArguments.value(named: argument, in: $0.event) }
        }
        fields["evt.rawarg"] = Definition(type: .number, argument: .indexOrKey, argumentRequired: true) { argument in
            guard let argument else { return nil }
            return .number { context in
                let text = Int(argument).map { EventArguments.value(at: $0, in: context.event) }
                    ?? EventArguments.value(named: argument, in: context.event)
                return text.flatMap { Int64($0) }
            }
        }
        return fields
    }
}

/// Falco's renderings of the event time (UTC).
enum EventTime {
    static func format(_ time: UInt64, date: Bool, nanoseconds: Bool, separator: String = " ") -> String {
        var seconds = time_t(time / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        if nanoseconds { text += "." + nine(time % 1_000_000_000) }
        if date { text = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))" + separator + text }
        return text
    }

    static func iso8601(_ time: UInt64) -> String {
        format(time, date: true, nanoseconds: true, separator: "T") + "Z"
    }

    static func nine(_ value: UInt64) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }
}

/// errno names as Falco prints `evt.res`.
enum ErrnoNames {
    static func name(_ errno: Int32) -> String {
        names[errno] ?? "E\(errno)"
    }

    static let names: [Int32: String] = [
        1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 6: "ENXIO", 7: "E2BIG", 8: "ENOEXEC", 9: "EBADF",
        10: "ECHILD", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 15: "ENOTBLK", 16: "EBUSY",
        17: "EEXIST", 18: "EXDEV", 19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL", 23: "ENFILE",
        24: "EMFILE", 25: "ENOTTY", 26: "ETXTBSY", 27: "EFBIG", 28: "ENOSPC", 29: "ESPIPE", 30: "EROFS",
        31: "EMLINK", 32: "EPIPE", 33: "EDOM", 34: "ERANGE", 35: "EDEADLK", 36: "ENAMETOOLONG", 37: "ENOLCK",
        38: "ENOSYS", 39: "ENOTEMPTY", 40: "ELOOP", 61: "ENODATA", 62: "ETIME", 75: "EOVERFLOW", 84: "EILSEQ",
        88: "ENOTSOCK", 89: "EDESTADDRREQ", 90: "EMSGSIZE", 91: "EPROTOTYPE", 92: "ENOPROTOOPT",
        93: "EPROTONOSUPPORT", 94: "ESOCKTNOSUPPORT", 95: "EOPNOTSUPP", 97: "EAFNOSUPPORT", 98: "EADDRINUSE",
        99: "EADDRNOTAVAIL", 100: "ENETDOWN", 101: "ENETUNREACH", 102: "ENETRESET", 103: "ECONNABORTED",
        104: "ECONNRESET", 105: "ENOBUFS", 106: "EISCONN", 107: "ENOTCONN", 110: "ETIMEDOUT", 111: "ECONNREFUSED",
        112: "EHOSTDOWN", 113: "EHOSTUNREACH", 114: "EALREADY", 115: "EINPROGRESS", 116: "ESTALE", 122: "EDQUOT",
        125: "ECANCELED",
    ]
}

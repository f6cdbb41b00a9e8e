import Foundation

/// Writes events as the JSON lines of DESIGN.md (`shrike watch --events --json`), straight into a byte buffer: this
/// runs for every event, at hundreds of thousands per second, where a generic encoder would cost many times more.
public struct EventJSONEncoder: Sendable {
    private var timestamps = JSONTimestampWriter()
    private var flagNames: [Int32: [UInt8]] = [:]

    public init() {}

    /// One JSON object, without a trailing newline.
    public mutating func encode(_ event: Event) -> String {
        var out: [UInt8] = []
        encode(event, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one JSON object (no newline) to `out`.
    public mutating func encode(_ event: Event, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"time":""#.utf8)
        timestamps.append(event.time, to: &out)
        out.append(contentsOf: #"","type":"#.utf8)
        JSONLiteral.append(string: event.type, to: &out)
        out.append(contentsOf: #","category":""#.utf8)
        out.append(contentsOf: event.category.rawValue.utf8)
        out.append(contentsOf: #"","ret":"#.utf8)
        JSONLiteral.append(integer: event.ret, to: &out)
        let p = event.process
        out.append(contentsOf: #","proc":{"pid":"#.utf8)
        JSONLiteral.append(integer: Int64(p.pid), to: &out)
        out.append(contentsOf: #","tid":"#.utf8)
        JSONLiteral.append(integer: Int64(p.tid), to: &out)
        out.append(contentsOf: #","ppid":"#.utf8)
        JSONLiteral.append(integer: Int64(p.ppid), to: &out)
        out.append(contentsOf: #","uid":"#.utf8)
        JSONLiteral.append(integer: Int64(p.uid), to: &out)
        out.append(contentsOf: #","gid":"#.utf8)
        JSONLiteral.append(integer: Int64(p.gid), to: &out)
        if p.loginuid != .max {
            out.append(contentsOf: #","loginuid":"#.utf8)
            JSONLiteral.append(integer: Int64(p.loginuid), to: &out)
        }
        out.append(contentsOf: #","name":"#.utf8)
        JSONLiteral.append(string: p.name, to: &out)
        out.append(contentsOf: #","exe":"#.utf8)
        JSONLiteral.append(string: p.exe, to: &out)
        out.append(contentsOf: #","cmdline":"#.utf8)
        JSONLiteral.append(string: p.cmdline, to: &out)
        out.append(contentsOf: #","cwd":"#.utf8)
        JSONLiteral.append(string: p.cwd, to: &out)
        if p.tty != 0 {
            out.append(contentsOf: #","tty":"#.utf8)
            JSONLiteral.append(integer: Int64(p.tty), to: &out)
        }
        appendNonZero(#","sid":"#, Int64(p.sid), to: &out)
        appendNonZero(#","pgid":"#, Int64(p.pgid), to: &out)
        if p.exeFromMemfd {
            out.append(contentsOf: #","exeFromMemfd":true"#.utf8)
        }
        appendNonZero(#","vpid":"#, Int64(p.vpid), to: &out)
        appendNonZero(#","vpgid":"#, Int64(p.vpgid), to: &out)
        if p.startTime != 0 {
            out.append(contentsOf: #","start":""#.utf8)
            timestamps.append(p.startTime, to: &out)
            out.append(UInt8(ascii: "\""))
        }
        if let caps = p.capabilities {
            out.append(contentsOf: #","caps":{"effective":"0x"#.utf8)
            out.append(contentsOf: String(caps.effective, radix: 16).utf8)
            out.append(contentsOf: #"","permitted":"0x"#.utf8)
            out.append(contentsOf: String(caps.permitted, radix: 16).utf8)
            out.append(contentsOf: #"","inheritable":"0x"#.utf8)
            out.append(contentsOf: String(caps.inheritable, radix: 16).utf8)
            out.append(contentsOf: #""}"#.utf8)
        }
        if let exe = p.executable {
            out.append(contentsOf: #","exeInode":{"ino":"#.utf8)
            JSONLiteral.append(integer: Int64(bitPattern: exe.inode), to: &out)
            out.append(contentsOf: #","ctime":"#.utf8)
            JSONLiteral.append(integer: Int64(bitPattern: exe.changeTime), to: &out)
            out.append(contentsOf: #","mtime":"#.utf8)
            JSONLiteral.append(integer: Int64(bitPattern: exe.modificationTime), to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #","container":{"id":"#.utf8)
        JSONLiteral.append(string: p.container.id, to: &out)
        if !p.container.isHost {
            out.append(contentsOf: #","fullId":"#.utf8)
            JSONLiteral.append(string: p.container.fullID, to: &out)
            out.append(contentsOf: #","name":"#.utf8)
            JSONLiteral.append(string: p.container.name, to: &out)
            out.append(contentsOf: #","image":"#.utf8)
            JSONLiteral.append(string: p.container.image, to: &out)
            out.append(contentsOf: #","runtime":"#.utf8)
            JSONLiteral.append(string: p.container.runtime, to: &out)
            if let privileged = p.container.privileged {
                out.append(contentsOf: (privileged ? #","privileged":true"# : #","privileged":false"#).utf8)
            }
            if let start = p.container.startTime {
                out.append(contentsOf: #","start":""#.utf8)
                timestamps.append(start, to: &out)
                out.append(UInt8(ascii: "\""))
            }
        }
        out.append(contentsOf: "}}".utf8)
        if let file = event.file {
            out.append(contentsOf: #","file":{"path":"#.utf8)
            JSONLiteral.append(string: file.path, to: &out)
            if let target = file.target {
                out.append(contentsOf: #","target":"#.utf8)
                JSONLiteral.append(string: target, to: &out)
            }
            if let flags = file.flags {
                out.append(contentsOf: #","flags":""#.utf8)
                out.append(contentsOf: flagText(flags))
                out.append(UInt8(ascii: "\""))
            }
            if let mode = file.mode {
                out.append(contentsOf: #","mode":"0"#.utf8)
                out.append(contentsOf: String(mode & 0o7777, radix: 8).utf8)
                out.append(UInt8(ascii: "\""))
            }
            if let fd = file.fd {
                out.append(contentsOf: #","fd":"#.utf8)
                JSONLiteral.append(integer: Int64(fd), to: &out)
            }
            if let raw = file.rawPath {
                out.append(contentsOf: #","rawPath":"#.utf8)
                JSONLiteral.append(string: raw, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        if let net = event.net {
            out.append(contentsOf: #","net":{"family":""#.utf8)
            out.append(contentsOf: net.family.name.utf8)
            out.append(UInt8(ascii: "\""))
            if let transport = net.transport {
                out.append(contentsOf: #","transport":""#.utf8)
                out.append(contentsOf: transport.utf8)
                out.append(UInt8(ascii: "\""))
            }
            if let endpoint = net.endpoint {
                switch net.role {
                case .destination: out.append(contentsOf: #","dst":"#.utf8)
                case .peer: out.append(contentsOf: #","src":"#.utf8)
                case .local, .socket: out.append(contentsOf: #","local":"#.utf8)
                }
                JSONLiteral.append(string: endpoint, to: &out)
            }
            if let host = net.hostName {
                out.append(contentsOf: #","host":"#.utf8)
                JSONLiteral.append(string: host, to: &out)
            }
            if let fd = net.fd {
                out.append(contentsOf: #","fd":"#.utf8)
                JSONLiteral.append(integer: Int64(fd), to: &out)
            }
            if let connected = net.connected {
                out.append(contentsOf: (connected ? #","connected":true"# : #","connected":false"#).utf8)
            }
            if let changed = net.nameChanged {
                out.append(contentsOf: (changed ? #","nameChanged":true"# : #","nameChanged":false"#).utf8)
            }
            out.append(UInt8(ascii: "}"))
        }
        if let buffer = event.buffer {
            out.append(contentsOf: #","buffer":""#.utf8)
            out.append(contentsOf: Data(buffer).base64EncodedString().utf8)
            out.append(UInt8(ascii: "\""))
        }
        if !event.arguments.isEmpty {
            out.append(contentsOf: #","args":{"#.utf8)
            var first = true
            for key in event.arguments.keys.sorted() {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONLiteral.append(string: key, to: &out)
                out.append(UInt8(ascii: ":"))
                JSONLiteral.append(string: event.arguments[key] ?? "", to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `key` (`,"name":`) and the value, unless the value is 0 (unknown).
    private func appendNonZero(_ key: StaticString, _ value: Int64, to out: inout [UInt8]) {
        guard value != 0 else { return }
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        JSONLiteral.append(integer: value, to: &out)
    }

    private mutating func flagText(_ flags: Int32) -> [UInt8] {
        if let known = flagNames[flags] { return known }
        let text = Array(OpenFlags.describe(flags).utf8)
        if flagNames.count < 4096 { flagNames[flags] = text }
        return text
    }

    /// RFC 3339 in UTC with nanoseconds.
    public static func timestamp(_ nanoseconds: UInt64) -> String {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let fraction = nanoseconds % 1_000_000_000
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), fraction)
    }
}

import Foundation

/// Writes events as the JSON lines of DESIGN.md (`shrike watch --events --json`), by hand: this runs for every event,
/// and a generic encoder costs several times more.
public struct EventJSONEncoder: Sendable {
    public init() {}

    /// One JSON object, without a trailing newline.
    public func encode(_ event: Event) -> String {
        var out = "{\"time\":\""
        out += Self.timestamp(event.time)
        out += "\",\"type\":"
        Self.append(string: event.type, to: &out)
        out += ",\"category\":\"\(event.category.rawValue)\",\"ret\":\(event.ret)"
        let p = event.process
        out += ",\"proc\":{\"pid\":\(p.pid),\"tid\":\(p.tid),\"ppid\":\(p.ppid),\"uid\":\(p.uid),\"gid\":\(p.gid)"
        if p.loginuid != .max { out += ",\"loginuid\":\(p.loginuid)" }
        out += ",\"name\":"
        Self.append(string: p.name, to: &out)
        out += ",\"exe\":"
        Self.append(string: p.exe, to: &out)
        out += ",\"cmdline\":"
        Self.append(string: p.cmdline, to: &out)
        out += ",\"cwd\":"
        Self.append(string: p.cwd, to: &out)
        if p.tty != 0 { out += ",\"tty\":\(p.tty)" }
        out += ",\"container\":{\"id\":"
        Self.append(string: p.container.id, to: &out)
        if !p.container.isHost {
            out += ",\"fullId\":"
            Self.append(string: p.container.fullID, to: &out)
            out += ",\"name\":"
            Self.append(string: p.container.name, to: &out)
            out += ",\"image\":"
            Self.append(string: p.container.image, to: &out)
            out += ",\"runtime\":"
            Self.append(string: p.container.runtime, to: &out)
        }
        out += "}}"
        if let file = event.file {
            out += ",\"file\":{\"path\":"
            Self.append(string: file.path, to: &out)
            if let target = file.target {
                out += ",\"target\":"
                Self.append(string: target, to: &out)
            }
            if let flags = file.flags { out += ",\"flags\":\"\(OpenFlags.describe(flags))\"" }
            if let mode = file.mode { out += ",\"mode\":\"0\(String(mode & 0o7777, radix: 8))\"" }
            if let fd = file.fd { out += ",\"fd\":\(fd)" }
            out += "}"
        }
        if let net = event.net {
            out += ",\"net\":{\"family\":\"\(net.family.name)\""
            if let transport = net.transport { out += ",\"transport\":\"\(transport)\"" }
            if let endpoint = net.endpoint {
                let key: String
                switch net.role {
                case .destination: key = "dst"
                case .peer: key = "src"
                case .local, .socket: key = "local"
                }
                out += ",\"\(key)\":"
                Self.append(string: endpoint, to: &out)
            }
            if let fd = net.fd { out += ",\"fd\":\(fd)" }
            out += "}"
        }
        if !event.arguments.isEmpty {
            out += ",\"args\":{"
            var first = true
            for key in event.arguments.keys.sorted() {
                if !first { out += "," }
                first = false
                Self.append(string: key, to: &out)
                out += ":"
                Self.append(string: event.arguments[key] ?? "", to: &out)
            }
            out += "}"
        }
        out += "}"
        return out
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

    /// Appends `value` as a JSON string literal (quotes, backslashes and control characters escaped).
    static func append(string value: String, to out: inout String) {
        out += "\""
        var needsEscape = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5c {
            needsEscape = true
            break
        }
        if !needsEscape {
            out += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

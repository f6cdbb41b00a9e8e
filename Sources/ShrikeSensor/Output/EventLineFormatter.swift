import Foundation

/// One readable line per event: time, process, what happened, result.
///
/// `12:00:01.123456 sh[1234] (host) openat /etc/passwd O_RDONLY = 3`
public struct EventLineFormatter: Sendable {
    public init() {}

    public func format(_ event: Event) -> String {
        let p = event.process
        var line = Self.clock(event.time) + " " + p.name + "[\(p.pid)]"
        line += p.container.isHost ? " (host)" : " (\(p.container.name.isEmpty ? p.container.id : p.container.name))"
        line += " " + event.type
        switch event.type {
        case "execve" where event.ret == 0:
            line += " " + p.exe + " : " + p.cmdline
        case "fork":
            line += " child=\(event.arguments["child_pid"] ?? "?")"
            if event.arguments["thread"] == "true" { line += " (thread)" }
        case "exit":
            line += " code=\(event.arguments["exit_code"] ?? "?")"
            if let signal = event.arguments["signal"] { line += " signal=\(signal)" }
        default:
            if let file = event.file {
                line += " " + file.path
                if let target = file.target { line += " -> " + target }
                if let flags = file.flags { line += " " + OpenFlags.describe(flags) }
                if let mode = file.mode { line += " mode=0" + String(mode & 0o7777, radix: 8) }
            }
            if let net = event.net {
                line += " " + (net.transport ?? net.family.name)
                if let endpoint = net.endpoint { line += " " + endpoint }
                if let host = net.hostName { line += " (" + host + ")" }
            }
            for key in event.arguments.keys.sorted() {
                line += " \(key)=\(event.arguments[key] ?? "")"
            }
        }
        if event.type != "fork" && event.type != "exit" && !(event.type == "execve" && event.ret == 0) {
            line += " = \(event.ret)"
            if event.ret < 0, let name = strerror(Int32(-event.ret)) { line += " (" + String(cString: name) + ")" }
        }
        return Self.printable(line)
    }

    /// Control characters (newlines in a command line, say) escaped, so one event stays one line.
    static func printable(_ line: String) -> String {
        guard line.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) else { return line }
        var out = ""
        for scalar in line.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case let c where c.value < 0x20 || c.value == 0x7f: out += String(format: "\\x%02x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Local wall-clock time with microseconds; readable lines are for people at this machine.
    static func clock(_ nanoseconds: UInt64) -> String {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d:%02d.%06llu", Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec),
                      (nanoseconds % 1_000_000_000) / 1000)
    }
}

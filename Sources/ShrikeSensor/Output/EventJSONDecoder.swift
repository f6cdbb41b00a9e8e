import Foundation
import ShrikeCore

/// Reads the JSON lines `shrike watch --events --json` writes back into events, so a recorded stream can be replayed
/// through the rules engine (`shrike rules replay`) or a benchmark.
///
/// What the JSON does not keep comes back approximated: a process's argument vector is its command line split at
/// spaces, and a socket's type is inferred from the transport (`tcp` → SOCK_STREAM).
public struct EventJSONDecoder: Sendable {
    public init() {}

    /// Decodes one line; throws a `malformed` error naming the line number when it is not an event.
    public func decode(line: Substring, number: Int) throws -> Event {
        let bad = { (why: String) in ShrikeError(.malformed, "line \(number): \(why)", input: String(line.prefix(120))) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw bad("not a JSON object")
        }
        guard let timeText = object["time"] as? String, let time = Self.parseTime(timeText) else {
            throw bad("no RFC 3339 \"time\"")
        }
        guard let type = object["type"] as? String, let proc = object["proc"] as? [String: Any] else {
            throw bad("no \"type\" or \"proc\"")
        }
        let category = (object["category"] as? String).flatMap(EventCategory.init(rawValue:)) ?? .other
        let int = { (value: Any?) -> Int64? in (value as? NSNumber)?.int64Value }
        let containerObject = proc["container"] as? [String: Any] ?? [:]
        let containerID = containerObject["fullId"] as? String ?? containerObject["id"] as? String ?? "host"
        let container = containerID == "host" ? ContainerInfo.host
            : ContainerInfo(fullID: containerID, name: containerObject["name"] as? String ?? "",
                            image: containerObject["image"] as? String ?? "",
                            runtime: containerObject["runtime"] as? String ?? "",
                            privileged: containerObject["privileged"] as? Bool,
                            startTime: (containerObject["start"] as? String).flatMap(Self.parseTime))
        let cmdline = proc["cmdline"] as? String ?? ""
        let process = ProcessSnapshot(
            pid: Int32(truncatingIfNeeded: int(proc["pid"]) ?? 0), tid: Int32(truncatingIfNeeded: int(proc["tid"]) ?? 0),
            ppid: Int32(truncatingIfNeeded: int(proc["ppid"]) ?? 0),
            uid: UInt32(truncatingIfNeeded: int(proc["uid"]) ?? 0), gid: UInt32(truncatingIfNeeded: int(proc["gid"]) ?? 0),
            loginuid: UInt32(truncatingIfNeeded: int(proc["loginuid"]) ?? Int64(UInt32.max)),
            name: proc["name"] as? String ?? "", exe: proc["exe"] as? String ?? "",
            args: cmdline.split(separator: " ").map(String.init), cmdline: cmdline, cwd: proc["cwd"] as? String ?? "/",
            tty: UInt32(truncatingIfNeeded: int(proc["tty"]) ?? 0),
            sid: Int32(truncatingIfNeeded: int(proc["sid"]) ?? 0), pgid: Int32(truncatingIfNeeded: int(proc["pgid"]) ?? 0),
            container: container,
            exeFromMemfd: proc["exeFromMemfd"] as? Bool ?? false,
            vpid: Int32(truncatingIfNeeded: int(proc["vpid"]) ?? 0),
            vpgid: Int32(truncatingIfNeeded: int(proc["vpgid"]) ?? 0),
            capabilities: (proc["caps"] as? [String: Any]).flatMap(Self.capabilities),
            executable: (proc["exeInode"] as? [String: Any]).flatMap { inode in
                int(inode["ino"]).map {
                    ExecutableInode(inode: UInt64(bitPattern: $0), changeTime: UInt64(bitPattern: int(inode["ctime"]) ?? 0),
                                    modificationTime: UInt64(bitPattern: int(inode["mtime"]) ?? 0))
                }
            },
            startTime: (proc["start"] as? String).flatMap(Self.parseTime) ?? 0)
        var file: FileActivity?
        if let object = object["file"] as? [String: Any], let path = object["path"] as? String {
            file = FileActivity(path: path, target: object["target"] as? String,
                                flags: (object["flags"] as? String).flatMap(OpenFlags.parse),
                                mode: (object["mode"] as? String).flatMap { UInt32($0, radix: 8) },
                                fd: int(object["fd"]).map { Int32(truncatingIfNeeded: $0) },
                                rawPath: object["rawPath"] as? String)
        }
        var net: NetworkActivity?
        if let object = object["net"] as? [String: Any] {
            let family: SocketFamily = switch object["family"] as? String {
            case "unix": .unix
            case "inet": .inet
            case "inet6": .inet6
            case "netlink": .netlink
            case let other?: .other(other.hasPrefix("af") ? Int(other.dropFirst(2)) ?? 0 : 0)
            case nil: .other(0)
            }
            let socketType: Int32? = switch object["transport"] as? String {
            case "tcp": 1
            case "udp": 2
            case "raw": 3
            default: nil
            }
            var role = NetworkActivity.Role.socket
            var endpoint: String?
            if let value = object["dst"] as? String { role = .destination; endpoint = value }
            if let value = object["src"] as? String { role = .peer; endpoint = value }
            if let value = object["local"] as? String { role = .local; endpoint = value }
            let (address, port) = endpoint.map { Self.split(endpoint: $0, family: family) } ?? (nil, nil)
            net = NetworkActivity(family: family, role: role, address: address, port: port, socketType: socketType,
                                  fd: int(object["fd"]).map { Int32(truncatingIfNeeded: $0) },
                                  hostName: object["host"] as? String)
            net?.connected = object["connected"] as? Bool
            net?.nameChanged = object["nameChanged"] as? Bool
        }
        let arguments = (object["args"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
        let buffer = (object["buffer"] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }
        return Event(time: time, type: type, category: category, ret: int(object["ret"]) ?? 0, process: process,
                     file: file, net: net, arguments: arguments, buffer: buffer)
    }

    /// `{"effective":"0x1ff…","permitted":…,"inheritable":…}` → the three sets; nil when one is missing.
    static func capabilities(_ object: [String: Any]) -> Capabilities? {
        func mask(_ key: String) -> UInt64? {
            guard let text = object[key] as? String else { return nil }
            return UInt64(text.hasPrefix("0x") ? String(text.dropFirst(2)) : text, radix: 16)
        }
        guard let effective = mask("effective"), let permitted = mask("permitted"),
              let inheritable = mask("inheritable") else { return nil }
        return Capabilities(effective: effective, permitted: permitted, inheritable: inheritable)
    }

    /// Every event of a JSON-lines text, in order; blank lines skipped.
    public func decode(lines text: String) throws -> [Event] {
        var events: [Event] = []
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            events.append(try decode(line: line, number: number))
        }
        return events
    }

    /// `2026-11-29T10:00:00.123456789Z` (what `EventJSONEncoder.timestamp` writes; the fraction may have 0 to 9
    /// digits) → nanoseconds since the epoch; nil for anything else.
    public static func parseTime(_ text: String) -> UInt64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let epoch = timegm(&parts)
        guard epoch >= 0 else { return nil }
        var fraction: UInt64 = 0
        var digits = 0
        if bytes[19] == UInt8(ascii: ".") {
            for index in 20..<(bytes.count - 1) {
                guard digits < 9, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
                fraction = fraction * 10 + UInt64(bytes[index] - 0x30)
                digits += 1
            }
        }
        while digits < 9 {
            fraction *= 10
            digits += 1
        }
        return UInt64(epoch) * 1_000_000_000 + fraction
    }

    /// `1.2.3.4:80`, `[::1]:80` or a unix path.
    static func split(endpoint: String, family: SocketFamily) -> (String?, UInt16?) {
        switch family {
        case .inet:
            guard let colon = endpoint.lastIndex(of: ":") else { return (endpoint, nil) }
            return (String(endpoint[..<colon]), UInt16(endpoint[endpoint.index(after: colon)...]))
        case .inet6:
            guard endpoint.hasPrefix("["), let close = endpoint.firstIndex(of: "]") else { return (endpoint, nil) }
            let address = String(endpoint[endpoint.index(after: endpoint.startIndex)..<close])
            let rest = endpoint[endpoint.index(after: close)...]
            return (address, rest.hasPrefix(":") ? UInt16(rest.dropFirst()) : nil)
        default:
            return (endpoint, nil)
        }
    }
}

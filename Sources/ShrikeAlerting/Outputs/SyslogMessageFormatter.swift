import ShrikeRules

/// Builds the syslog datagram for an alert, in the framing local syslog daemons (rsyslog, syslog-ng, journald) read
/// from `/dev/log`.
///
/// - RFC 3164 (the default, what glibc's `syslog(3)` sends): `<PRI>Nov 29 10:00:00 shrike[4242]: MESSAGE`; the
///   daemon adds the hostname.
/// - RFC 5424: `<PRI>1 2026-11-29T10:00:00.123456Z HOSTNAME shrike 4242 - - MESSAGE`.
///
/// PRI is `facility * 8 + severity`, the severity being the rule priority's syslog level (Emergency 0 … Debug 7);
/// timestamps are the event's time in UTC. MESSAGE is `Priority output (count=N)` or the alert's JSON object.
public struct SyslogMessageFormatter: Sendable {
    public enum Framing: String, Sendable, Equatable, CaseIterable {
        case rfc3164, rfc5424
    }

    public var facility: SyslogFacility
    public var format: AlertFormat
    public var framing: Framing
    public var tag: String
    public var pid: Int32
    private var json = AlertJSONEncoder()

    public init(facility: SyslogFacility = .daemon, format: AlertFormat = .text, framing: Framing = .rfc3164,
                tag: String = "shrike", pid: Int32) {
        self.facility = facility
        self.format = format
        self.framing = framing
        self.tag = tag
        self.pid = pid
    }

    /// The PRI value of `priority`'s messages.
    public func pri(_ priority: RulePriority) -> Int {
        facility.rawValue * 8 + priority.syslogSeverity
    }

    /// The datagram's bytes (no terminator).
    public mutating func message(_ alert: Alert) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(contentsOf: "<\(pri(alert.priority))>".utf8)
        switch framing {
        case .rfc3164:
            out.append(contentsOf: "\(AlertClock.rfc3164(alert.time)) \(tag)[\(pid)]: ".utf8)
        case .rfc5424:
            let host = alert.hostname.isEmpty ? "-" : alert.hostname.replacingSpaces()
            out.append(contentsOf: "1 \(AlertClock.rfc3339Microseconds(alert.time)) \(host) \(tag) \(pid) - - ".utf8)
        }
        switch format {
        case .text: out.append(contentsOf: AlertTextFormatter.message(alert).utf8)
        case .json: json.encode(alert, into: &out)
        }
        return out
    }
}

private extension String {
    /// RFC 5424's HOSTNAME is printable ASCII without spaces.
    func replacingSpaces() -> String {
        String(map { $0 == " " ? "-" : $0 })
    }
}

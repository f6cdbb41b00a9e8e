/// A syslog facility (RFC 5424 §6.2.1); the PRI of a message is `facility * 8 + severity`.
public enum SyslogFacility: Int, Sendable, Equatable, CaseIterable {
    case kern = 0, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, ftp
    case local0 = 16, local1, local2, local3, local4, local5, local6, local7

    /// Parses the names `logger(1)` and syslog.conf use (`daemon`, `local0`, …; `security` for auth), case-insensitively.
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "security" {
            self = .auth
            return
        }
        guard let match = Self.allCases.first(where: { $0.name == lowered }) else { return nil }
        self = match
    }

    public var name: String {
        switch self {
        case .kern: "kern"
        case .user: "user"
        case .mail: "mail"
        case .daemon: "daemon"
        case .auth: "auth"
        case .syslog: "syslog"
        case .lpr: "lpr"
        case .news: "news"
        case .uucp: "uucp"
        case .cron: "cron"
        case .authpriv: "authpriv"
        case .ftp: "ftp"
        case .local0: "local0"
        case .local1: "local1"
        case .local2: "local2"
        case .local3: "local3"
        case .local4: "local4"
        case .local5: "local5"
        case .local6: "local6"
        case .local7: "local7"
        }
    }
}

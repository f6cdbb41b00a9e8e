import Foundation

/// A console sign-in as stored: the SHA-256 of its cookie, who it is and what they may do, its CSRF token.
package struct StoredSession: Sendable, Equatable {
    /// Lowercase hex SHA-256 of the cookie's value.
    package var hash: String
    /// The token's name, or the name a login link was made for.
    package var name: String
    package var role: TokenRole
    /// The hash of the user token exchanged for it; nil for a login link's session.
    package var tokenHash: String?
    /// Sent back with every state-changing form; compared in constant time.
    package var csrf: String
    package var createdAt: Date
    package var expiresAt: Date

    package init(hash: String, name: String, role: TokenRole, tokenHash: String?, csrf: String, createdAt: Date,
                 expiresAt: Date) {
        self.hash = hash
        self.name = name
        self.role = role
        self.tokenHash = tokenHash
        self.csrf = csrf
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A one-time sign-in code of `shrike server login-link`, as stored (its SHA-256 only).
package struct StoredLoginLink: Sendable, Equatable {
    package var hash: String
    package var name: String
    package var role: TokenRole
    package var createdAt: Date
    package var expiresAt: Date

    package init(hash: String, name: String, role: TokenRole, createdAt: Date, expiresAt: Date) {
        self.hash = hash
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// What the console's feed counts alerts by.
package enum AlertCountColumn: String, Sendable {
    case rule
    case host = "hostname"
}

/// One line of the feed's counts: a rule or host and its alerts in the span.
package struct AlertCount: Sendable, Equatable {
    package var value: String
    package var count: Int

    package init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}

/// The statements of sessions and login links, and their rows decoded, shared by both engines.
enum ServerSessionPlan {
    static func insert(_ session: StoredSession) -> ServerSQL.Statement {
        .init(sql: ServerSQL.insertSession, arguments: [
            .text(session.hash), .text(session.name), .text(session.role.rawValue), .optional(session.tokenHash),
            .text(session.csrf), .int(seconds(session.createdAt)), .int(seconds(session.expiresAt))])
    }

    static func lookup(hash: String, now: Date) -> ServerSQL.Statement {
        .init(sql: ServerSQL.sessionByHash, arguments: [.text(hash), .int(seconds(now))])
    }

    static func delete(hash: String) -> ServerSQL.Statement {
        .init(sql: ServerSQL.deleteSession, arguments: [.text(hash)])
    }

    static func insert(_ link: StoredLoginLink) -> ServerSQL.Statement {
        .init(sql: ServerSQL.insertLoginLink, arguments: [
            .text(link.hash), .text(link.name), .text(link.role.rawValue), .int(seconds(link.createdAt)),
            .int(seconds(link.expiresAt))])
    }

    static func consume(hash: String, now: Date) -> ServerSQL.Statement {
        .init(sql: ServerSQL.consumeLoginLink, arguments: [.text(hash), .int(seconds(now))])
    }

    static func session(hash: String, name: String, role: String, tokenHash: String?, csrf: String, createdAt: Int64,
                        expiresAt: Int64) -> StoredSession? {
        guard let role = TokenRole(rawValue: role) else { return nil }
        return StoredSession(hash: hash, name: name, role: role, tokenHash: tokenHash, csrf: csrf,
                             createdAt: date(createdAt), expiresAt: date(expiresAt))
    }

    static func loginLink(hash: String, name: String, role: String, createdAt: Int64,
                          expiresAt: Int64) -> StoredLoginLink? {
        guard let role = TokenRole(rawValue: role) else { return nil }
        return StoredLoginLink(hash: hash, name: name, role: role, createdAt: date(createdAt), expiresAt: date(expiresAt))
    }

    private static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
    private static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: Double(seconds)) }
}

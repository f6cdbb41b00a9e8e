import Foundation

/// `shrike server login-link`'s codes: 256 random bits, single use, valid `lifetime` seconds; only the SHA-256 is
/// stored, and `GET /login/once?code=…` deletes it as it signs in.
package enum ConsoleLoginLink {
    package static let lifetime: TimeInterval = 15 * 60

    /// Stores a new code for `name` with `role` and returns it.
    package static func create(store: any ServerStore, name: String, role: TokenRole,
                               now: Date = Date()) async throws -> String {
        let code = ConsoleSecret.generate()
        try await store.createLoginLink(StoredLoginLink(hash: TokenSecret.hash(code), name: name, role: role,
                                                        createdAt: now, expiresAt: now.addingTimeInterval(lifetime)))
        return code
    }
}

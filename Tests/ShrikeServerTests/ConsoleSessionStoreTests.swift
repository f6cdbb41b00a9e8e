import Foundation
import Testing
@testable import ShrikeServer

/// Sessions and login links in both engines (migration 2): found while valid, gone when expired, signed out or
/// their token revoked; a login link is consumed once.
@Suite("Console sessions in the store")
struct ConsoleSessionStoreTests {
    static func session(_ hash: String, tokenHash: String?, expires: Date) -> StoredSession {
        StoredSession(hash: hash, name: "watcher", role: .viewer, tokenHash: tokenHash, csrf: ConsoleSecret.generate(),
                      createdAt: Date(timeIntervalSince1970: 1_800_000_000), expiresAt: expires)
    }

    @Test(arguments: StoreEngine.allCases)
    func sessionsEndWhenExpiredSignedOutOrRevoked(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let now = Date(timeIntervalSince1970: 1_800_000_100)
            let tokenHash = TokenSecret.hash(TokenSecret.generate())
            try await store.createToken(StoredToken(name: "watcher", role: .viewer, hash: tokenHash, createdAt: now))
            let live = Self.session("a", tokenHash: tokenHash, expires: now.addingTimeInterval(60))
            try await store.createSession(live)
            try await store.createSession(Self.session("b", tokenHash: nil, expires: now.addingTimeInterval(-1)))
            try await store.createSession(Self.session("c", tokenHash: nil, expires: now.addingTimeInterval(60)))
            #expect(try await store.session(hash: "a", now: now) == live)
            #expect(try await store.session(hash: "b", now: now) == nil, "expired")
            #expect(try await store.session(hash: "a", now: now.addingTimeInterval(61)) == nil, "expired later")
            try await store.deleteSession(hash: "c")
            #expect(try await store.session(hash: "c", now: now) == nil, "signed out")
            _ = try await store.revokeToken(name: "watcher", at: now)
            #expect(try await store.session(hash: "a", now: now) == nil, "its token revoked")
            _ = try await store.evict(.default, now: now)
        }
    }

    @Test(arguments: StoreEngine.allCases)
    func aLoginLinkIsConsumedOnce(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let code = try await ConsoleLoginLink.create(store: store, name: "first", role: .admin, now: now)
            #expect(ConsoleSecret.isWellFormed(code))
            let hash = TokenSecret.hash(code)
            let link = try await store.consumeLoginLink(hash: hash, now: now.addingTimeInterval(10))
            #expect(link?.name == "first")
            #expect(link?.role == .admin)
            #expect(try await store.consumeLoginLink(hash: hash, now: now.addingTimeInterval(11)) == nil, "used")
            let late = try await ConsoleLoginLink.create(store: store, name: "late", role: .viewer, now: now)
            #expect(try await store.consumeLoginLink(hash: TokenSecret.hash(late),
                                                     now: now.addingTimeInterval(ConsoleLoginLink.lifetime + 1)) == nil,
                    "expired")
        }
    }

    @Test func secretsAreCheckedInConstantTimeAndBySize() {
        let secret = ConsoleSecret.generate()
        #expect(secret.utf8.count == 43)
        #expect(ConsoleSecret.constantTimeEqual(secret, secret))
        #expect(!ConsoleSecret.constantTimeEqual(secret, String(secret.dropLast()) + "?"))
        #expect(!ConsoleSecret.constantTimeEqual(secret, ""))
        #expect(secret != ConsoleSecret.generate())
        #expect(!ConsoleSecret.isWellFormed("x" + secret))
    }
}

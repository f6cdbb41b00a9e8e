import Foundation
import NIOHTTP1
import Testing
@testable import ShrikeServer

/// Nothing but /healthz answers without a valid token; roles decide what a valid token may do; refusals say
/// nothing about the token.
@Suite("Server authentication and roles")
struct ServerAuthTests {
    enum Credential: String, CaseIterable, Sendable {
        case none, garbage, unknown, revoked, agent, viewer, admin
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var method: HTTPMethod
        var path: String
        var credential: Credential
        var status: Int
        var testDescription: String { "\(method) \(path) with \(credential.rawValue) → \(status)" }
    }

    static let reads = ["/api/v1/alerts", "/api/v1/incidents", "/api/v1/hosts", "/api/v1/images", "/metrics",
                        "/api/v1/openapi.json", "/api/v1/vulnerabilities/CVE-2019-14697/affected"]

    static let cases: [Case] = {
        var cases: [Case] = []
        for path in reads {
            cases.append(Case(method: .GET, path: path, credential: .none, status: 401))
            cases.append(Case(method: .GET, path: path, credential: .garbage, status: 401))
            cases.append(Case(method: .GET, path: path, credential: .unknown, status: 401))
            cases.append(Case(method: .GET, path: path, credential: .revoked, status: 401))
            cases.append(Case(method: .GET, path: path, credential: .agent, status: 403))
            cases.append(Case(method: .GET, path: path, credential: .viewer, status: 200))
            cases.append(Case(method: .GET, path: path, credential: .admin, status: 200))
        }
        for (credential, status) in [(Credential.none, 401), (.unknown, 401), (.revoked, 401), (.viewer, 403),
                                     (.agent, 200), (.admin, 200)] {
            cases.append(Case(method: .POST, path: "/api/v1/ingest", credential: credential, status: status))
        }
        for credential in Credential.allCases {
            cases.append(Case(method: .GET, path: "/healthz", credential: credential, status: 200))
        }
        return cases
    }()

    @Test(arguments: cases)
    func access(_ check: Case) async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        var secret: String?
        var raw: String?
        switch check.credential {
        case .none: break
        case .garbage: raw = "Basic dXNlcjpwYXNz"
        case .unknown: secret = TokenSecret.generate()
        case .revoked:
            secret = try await server.token(.admin, name: "gone")
            _ = try await server.store.revokeToken(name: "gone", at: Date())
        case .agent: secret = try await server.token(.agent)
        case .viewer: secret = try await server.token(.viewer)
        case .admin: secret = try await server.token(.admin)
        }
        let body = check.method == .POST ? Data(#"{"records": []}"#.utf8) : nil
        let reply = try await server.request(check.method, check.path, token: secret, body: body, rawAuthorization: raw)
        #expect(reply.status == check.status, "\(reply.text)")
        if let secret { #expect(!reply.text.contains(secret), "the answer must not echo the token") }
        if check.status == 401 {
            #expect((reply.json["error"] as? [String: Any])?["code"] as? String == "unauthorized")
            #expect(reply.headers.contains { $0.0.lowercased() == "www-authenticate" && $0.1 == "Bearer" })
        }
        if check.status == 403 {
            #expect((reply.json["error"] as? [String: Any])?["code"] as? String == "forbidden")
        }
    }

    @Test func tokensAreStoredOnlyAsHashes() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let secret = try await server.token(.viewer, name: "ops")
        let database = try String(contentsOfFile: server.directory + "/server.sqlite", encoding: .isoLatin1)
            + ((try? String(contentsOfFile: server.directory + "/server.sqlite-wal", encoding: .isoLatin1)) ?? "")
        #expect(!database.contains(secret))
        #expect(database.contains(TokenSecret.hash(secret)))
    }
}

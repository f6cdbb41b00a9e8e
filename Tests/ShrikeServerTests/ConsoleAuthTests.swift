import Foundation
import ShrikeTestSupport
import Testing

/// The console's sign-in against a real `shrike server` process: no session means the sign-in page (and 401 on the
/// API); only viewer and admin tokens sign in; viewers change nothing; every POST needs the session's CSRF token;
/// a login link works once; signing out ends the session; a cookie never authorizes the API.
@Suite("Console sign-in and roles", .serialized)
struct ConsoleAuthTests {
    static let pages = ["/", "/?rule=x&span=all", "/incidents/inc-20261207-100000-00beef", "/incidents",
                        "/incidents/compare?id=inc-20261207-100000-00beef", "/images",
                        "/images/sha256:" + String(repeating: "ab", count: 32), "/vulnerabilities?id=CVE-2019-14697",
                        "/hosts", "/tokens", "/console/events/stream", "/no-such-page"]

    @Test func withoutASessionPagesGoToSignInAndTheAPIAnswers401() throws {
        let server = try ShrikeServerProcess.fresh()
        let client = ConsoleClient(server)
        for page in Self.pages {
            let reply = try client.get(page)
            #expect(reply.status == 303, "\(page)")
            #expect(reply.location == "/login", "\(page)")
        }
        #expect(try client.post("/tokens/revoke", form: ["name": "x"]).location == "/login")
        #expect(try client.get("/api/v1/alerts").status == 401)
        #expect(try client.get("/login").status == 200)
    }

    @Test func aBadOrAgentTokenIsRefused() throws {
        let server = try ShrikeServerProcess.fresh()
        let agent = try server.token("node-1", role: "agent")
        let revoked = try server.token("gone", role: "viewer")
        let revoke = try ExternalTool.run([ShrikeExecutable.path ?? "shrike", "server", "token", "revoke", "gone",
                                           "--database", server.database])
        #expect(revoke.status == 0, "\(revoke.stderr)")
        for token in ["shrike_not-a-real-token", "", agent, revoked, "' OR 1=1 --"] {
            let client = ConsoleClient(server)
            let reply = try client.signIn(token: token)
            #expect(reply.status == 401, "\(token)")
            #expect(reply.headers["set-cookie"] == nil)
            #expect(client.sessionCookie == nil)
            #expect(try client.get("/").location == "/login")
        }
    }

    @Test func aSessionCookieDoesNotAuthorizeTheAPI() throws {
        let server = try ShrikeServerProcess.fresh()
        let client = ConsoleClient(server)
        let signIn = try client.signIn(token: try server.token("admin", role: "admin"))
        #expect(signIn.status == 303)
        #expect(signIn.location == "/")
        let cookie = signIn.headers["set-cookie"] ?? ""
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Strict"))
        #expect(!cookie.contains("Secure"), "plain HTTP on loopback: no Secure flag")
        #expect(try client.get("/").status == 200)
        #expect(try client.get("/api/v1/alerts").status == 401)
        #expect(try client.post("/api/v1/ingest", form: ["records": "[]"]).status == 401)
    }

    @Test func aViewerMayReadButNotChangeAnything() throws {
        let server = try ShrikeServerProcess.fresh()
        _ = try server.token("victim", role: "agent")
        let client = ConsoleClient(server)
        try client.signIn(token: try server.token("watcher", role: "viewer"))
        let page = try client.get("/tokens")
        #expect(page.status == 200)
        #expect(!page.body.contains("action=\"/tokens/revoke\""), "no revoke button for a viewer")
        let csrf = try #require(page.csrf)
        let reply = try client.post("/tokens/revoke", form: ["csrf": csrf, "name": "victim"])
        #expect(reply.status == 403)
        #expect(try client.get("/tokens").body.contains("revoked") == false)
    }

    @Test func everyPostNeedsTheSessionsCSRFToken() throws {
        let server = try ShrikeServerProcess.fresh()
        _ = try server.token("victim", role: "agent")
        let client = ConsoleClient(server)
        try client.signIn(token: try server.token("boss", role: "admin"))
        let csrf = try #require(try client.get("/tokens").csrf)
        #expect(try client.post("/tokens/revoke", form: ["name": "victim"]).status == 403)
        #expect(try client.post("/tokens/revoke", form: ["name": "victim", "csrf": "x" + csrf.dropFirst()]).status == 403)
        #expect(try client.post("/logout", form: [:]).status == 403)
        // Another site's form, even with the token.
        #expect(try client.post("/tokens/revoke", form: ["name": "victim", "csrf": csrf],
                                headers: ["Origin: http://evil.example"]).status == 403)
        #expect(!(try client.get("/tokens").body.contains("revoked")))
        let done = try client.post("/tokens/revoke", form: ["name": "victim", "csrf": csrf])
        #expect(done.status == 303)
        #expect(try client.get("/tokens").body.contains("revoked"))
    }

    @Test func aLoginLinkSignsInOnceThenFails() throws {
        let server = try ShrikeServerProcess.fresh()
        let link = try server.loginLink()
        #expect(link.hasPrefix(server.url + "/login/once?code="))
        let path = String(link.dropFirst(server.url.count))
        let first = ConsoleClient(server)
        let reply = try first.get(path)
        #expect(reply.status == 303)
        #expect(reply.location == "/")
        #expect(try first.get("/").status == 200)
        let second = ConsoleClient(server)
        #expect(try second.get(path).status == 401)
        #expect(second.sessionCookie == nil)
        #expect(try second.get("/login/once?code=" + String(repeating: "A", count: 43)).status == 401)
    }

    @Test func signingOutEndsTheSession() throws {
        let server = try ShrikeServerProcess.fresh()
        let client = ConsoleClient(server)
        try client.signIn(token: try server.token("watcher", role: "viewer"))
        let cookie = try #require(client.sessionCookie)
        let csrf = try #require(try client.get("/").csrf)
        let reply = try client.post("/logout", form: ["csrf": csrf])
        #expect(reply.status == 303)
        #expect(reply.location == "/login")
        #expect(reply.headers["set-cookie"]?.contains("Max-Age=0") == true)
        // The old cookie, replayed by someone who kept it.
        let replay = ConsoleClient(server)
        #expect(try replay.get("/", headers: ["Cookie: shrike_session=\(cookie)"]).location == "/login")
    }

    @Test func everyConsoleAnswerCarriesTheSecurityHeaders() throws {
        let server = try ShrikeServerProcess.fresh()
        let client = ConsoleClient(server)
        var replies = [try client.get("/"), try client.get("/login"), try client.get("/console/assets/console.css"),
                       try client.signIn(token: "wrong")]
        try client.signIn(token: try server.token("watcher", role: "viewer"))
        replies += [try client.get("/"), try client.get("/hosts"), try client.get("/no-such-page"),
                    try client.get("/incidents/not-an-id"), try client.post("/logout", form: [:])]
        for reply in replies {
            #expect(reply.headers["content-security-policy"] == "default-src 'none'; script-src 'self'; "
                    + "style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; "
                    + "frame-ancestors 'none'; base-uri 'none'", "\(reply.status)")
            #expect(reply.headers["x-content-type-options"] == "nosniff")
            #expect(reply.headers["referrer-policy"] == "no-referrer")
        }
        #expect(replies[6].status == 404)
        #expect(replies[7].status == 400)
    }
}

import Foundation
import NIOHTTP1
import Testing
@testable import ShrikeServer

/// `POST /api/v1/ingest` and `GET /api/v1/alerts` over HTTP against a real server: idempotent batches, one bad
/// record never drops the rest, bad input gets a 4xx that names the problem, and the server keeps serving.
@Suite("Server ingest and alerts API")
struct ServerIngestAPITests {
    @Test func aBatchIsStoredOnceAndOneBadRecordIsRejectedAlone() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.token(.agent, name: "node-1")
        let viewer = try await server.token(.viewer)
        var bad = Records.alert(seq: 2)
        var body = bad["body"] as? [String: Any] ?? [:]
        body["priority"] = "Loud"
        bad["body"] = body
        let first = try await server.ingest([Records.alert(seq: 1), bad, Records.alert(seq: 3, rule: "Other")],
                                            token: agent)
        #expect(first.status == 200)
        let results = first.json["results"] as? [[String: Any]] ?? []
        #expect(results.map { $0["status"] as? String } == ["stored", "rejected", "stored"])
        #expect((results[1]["error"] as? String)?.contains("records[1].body.priority") == true)
        // The same batch again (an agent retrying after a lost answer): nothing new.
        let again = try await server.ingest([Records.alert(seq: 1), Records.alert(seq: 3, rule: "Other")], token: agent)
        #expect((again.json["results"] as? [[String: Any]])?.map { $0["status"] as? String } == ["duplicate", "duplicate"])
        let alerts = try await server.request(.GET, "/api/v1/alerts", token: viewer)
        let items = alerts.json["items"] as? [[String: Any]] ?? []
        #expect(items.map { $0["id"] as? String } == ["node-1/3", "node-1/1"])
        #expect(items.first?["agent"] as? String == "node-1")
        #expect(items.last?["rule"] as? String == "Terminal shell in container")
    }

    struct Filter: Sendable, CustomTestStringConvertible {
        var query: String
        var ids: [String]
        var testDescription: String { query }
    }

    static let filters: [Filter] = [
        Filter(query: "rule=Other", ids: ["a/3"]),
        Filter(query: "priority=Warning", ids: ["a/4", "a/2"]),
        Filter(query: "priority=Critical", ids: ["a/4"]),
        Filter(query: "host=node-2", ids: ["a/2"]),
        Filter(query: "container=web", ids: ["a/3", "a/1"]),
        Filter(query: "container=0123456789ab", ids: ["a/3", "a/1"]),
        Filter(query: "container=0123456789abcdef0123", ids: ["a/3", "a/1"]),
        Filter(query: "incident=inc-20261207-100000-00beef", ids: ["a/4"]),
        Filter(query: "since=2026-12-07T10:00:02Z", ids: ["a/4", "a/3"]),
        Filter(query: "until=2026-12-07T10:00:02Z", ids: ["a/2", "a/1"]),
        Filter(query: "since=2026-12-07T10:00:01Z&until=2026-12-07T10:00:03Z", ids: ["a/3", "a/2"]),
        Filter(query: "rule=Terminal%20shell%20in%20container&host=node-1", ids: ["a/1"]),
    ]

    @Test(arguments: filters)
    func alertFilters(_ filter: Filter) async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.token(.agent, name: "a")
        let viewer = try await server.token(.viewer)
        _ = try await server.ingest([
            Records.alert(seq: 1, time: "2026-12-07T10:00:00Z"),
            Records.alert(seq: 2, priority: "Warning", time: "2026-12-07T10:00:01Z", host: "node-2", container: nil),
            Records.alert(seq: 3, rule: "Other", time: "2026-12-07T10:00:02Z"),
            Records.alert(seq: 4, rule: "Other2", priority: "Critical", time: "2026-12-07T10:00:03Z",
                          container: ("fedcba987654", "db"), incident: "inc-20261207-100000-00beef"),
        ], token: agent)
        let reply = try await server.request(.GET, "/api/v1/alerts?\(filter.query)", token: viewer)
        #expect(reply.status == 200, "\(reply.text)")
        #expect((reply.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == filter.ids)
    }

    @Test func cursorPagesCoverEveryAlertOnce() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.token(.agent, name: "a")
        let viewer = try await server.token(.viewer)
        _ = try await server.ingest((1...250).map { Records.alert(seq: $0) }, token: agent)
        var seen: [String] = [], cursor: String?, pages = 0
        repeat {
            let reply = try await server.request(.GET, "/api/v1/alerts?limit=100" + (cursor.map { "&cursor=\($0)" } ?? ""),
                                                 token: viewer)
            seen += (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            cursor = reply.json["next"] as? String
            pages += 1
        } while cursor != nil && pages < 10
        #expect(pages == 3)
        #expect(seen == (1...250).reversed().map { "a/\($0)" })
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var name: String
        var body: Data
        var status: Int
        var code: String
        var testDescription: String { name }
    }

    static let badBodies: [BadInput] = [
        BadInput(name: "truncated JSON", body: Data(#"{"records": [{"seq": 1, "kind": "alert", "bo"#.utf8),
                 status: 400, code: "malformed-json"),
        BadInput(name: "not an object", body: Data("[1, 2]".utf8), status: 400, code: "malformed-batch"),
        BadInput(name: "unknown top-level field", body: Data(#"{"records": [], "extra": 1}"#.utf8),
                 status: 400, code: "unknown-field"),
        BadInput(name: "unknown record field",
                 body: Data(#"{"records": [{"seq": 1, "kind": "alert", "body": {}, "x": 1}]}"#.utf8),
                 status: 400, code: "unknown-field"),
        BadInput(name: "seq not a positive integer",
                 body: Data(#"{"records": [{"seq": -4, "kind": "alert", "body": {}}]}"#.utf8),
                 status: 400, code: "malformed-batch"),
        BadInput(name: "seq a boolean", body: Data(#"{"records": [{"seq": true, "kind": "alert", "body": {}}]}"#.utf8),
                 status: 400, code: "malformed-batch"),
        BadInput(name: "records missing", body: Data(#"{"agent": {}}"#.utf8), status: 400, code: "malformed-batch"),
        BadInput(name: "100 MB body", body: Data(repeating: 0x20, count: 100 << 20), status: 413, code: "body-too-large"),
    ]

    @Test(arguments: badBodies)
    func badBatchesAreRefusedWhole(_ input: BadInput) async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.token(.agent)
        let viewer = try await server.token(.viewer)
        let reply = try await server.request(.POST, "/api/v1/ingest", token: agent, body: input.body)
        #expect(reply.status == input.status, "\(reply.text.prefix(300))")
        #expect((reply.json["error"] as? [String: Any])?["code"] as? String == input.code)
        // Nothing stored, and the server still answers.
        let alerts = try await server.request(.GET, "/api/v1/alerts", token: viewer)
        #expect(alerts.status == 200)
        #expect((alerts.json["items"] as? [Any])?.isEmpty == true)
        #expect(try await server.request(.GET, "/healthz").status == 200)
    }

    static let injection = "x' OR '1'='1'; DROP TABLE alerts; --"

    @Test(arguments: ["rule", "priority", "host", "container", "incident", "since", "until", "cursor", "limit"])
    func sqlInFilterParametersIsOnlyAValue(parameter: String) async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.token(.agent, name: "a")
        let viewer = try await server.token(.viewer)
        _ = try await server.ingest([Records.alert(seq: 1)], token: agent)
        let value = Self.injection.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let reply = try await server.request(.GET, "/api/v1/alerts?\(parameter)=\(value)", token: viewer)
        let textual = ["rule", "host", "container", "incident"].contains(parameter)
        #expect(reply.status == (textual ? 200 : 400), "\(reply.text)")
        if textual { #expect((reply.json["items"] as? [Any])?.isEmpty == true) }
        if !textual { #expect((reply.json["error"] as? [String: Any])?["field"] as? String == parameter) }
        let all = try await server.request(.GET, "/api/v1/alerts", token: viewer)
        #expect((all.json["items"] as? [Any])?.count == 1, "the table is still there, with its alert")
    }

    @Test(arguments: ["/api/v1/alerts?verbose=1", "/api/v1/alerts?limit=5000", "/api/v1/alerts?limit=1&limit=2",
                      "/api/v1/alerts?since=yesterday", "/api/v1/incidents/not-an-id",
                      "/api/v1/images/sha256:zz/vulnerabilities", "/api/v1/hosts?x=1"])
    func badQueriesAre400(path: String) async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let reply = try await server.request(.GET, path, token: try await server.token(.viewer))
        #expect(reply.status == 400, "\(reply.text)")
        #expect((reply.json["error"] as? [String: Any])?["code"] as? String == "bad-parameter")
    }
}

import Foundation
import ShrikeTestSupport
import Testing

/// Attacker-controlled text (rule output, command lines, file paths, host and container names) shows as text in
/// the console's HTML: markup escaped, `javascript:` never in a link, ANSI escapes and bidi overrides made visible.
@Suite("Console escaping of hostile text", .serialized)
struct ConsoleEscapingTests {
    static let hostile = "\"><script>alert(1)</script> <a href=\"javascript:alert(2)\">x</a> javascript:alert(3) "
        + "\u{1b}[31mred\u{1b}[0m \u{202e}gnp.exe \u{2066}iso\u{2069} \u{85}c1"
    static let incidentID = "inc-20261207-100000-00beef"

    static func hostileAlert(now: Int64) -> [String: Any] {
        var body = IngestFixtures.alert(rule: "Rule \(hostile)", hostname: "node-1", time: now,
                                        containerName: "web\(hostile)", incident: incidentID)
        body["output"] = "output \(hostile)"
        var fields = body["output_fields"] as? [String: Any] ?? [:]
        fields["proc.cmdline"] = "sh -c '\(hostile)'"
        fields["container.image.repository"] = "javascript:alert(4)//\(hostile)"
        body["output_fields"] = fields
        body["tags"] = ["tag\(hostile)"]
        return body
    }

    static func hostileIncident(now: Int64) -> [String: Any] {
        var body = IngestFixtures.incident(id: incidentID, hostname: "node\(hostile)", rule: "Rule \(hostile)",
                                           openedAt: now)
        var processes = body["processes"] as? [[String: Any]] ?? []
        processes[0]["commandLine"] = "touch '\(hostile)'"
        processes[0]["name"] = "touch\(hostile)"
        body["processes"] = processes
        var files = body["files"] as? [String: Any] ?? [:]
        var created = files["created"] as? [[String: Any]] ?? []
        created[0]["path"] = "/tmp/\(hostile)"
        files["created"] = created
        body["files"] = files
        var entries = body["entries"] as? [[String: Any]] ?? []
        entries[0]["summary"] = "/tmp/\(hostile)"
        body["entries"] = entries
        var alerts = body["alerts"] as? [[String: Any]] ?? []
        alerts[0]["output"] = "output \(hostile)"
        body["alerts"] = alerts
        return body
    }

    /// What must never appear in a page, whatever the data.
    static func expectSafe(_ html: String, _ page: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!html.contains("<script>alert"), "\(page): a script element from the data", sourceLocation: sourceLocation)
        #expect(!html.contains("<a href=\"javascript:"), "\(page): a javascript: link", sourceLocation: sourceLocation)
        #expect(!html.lowercased().contains("href=\"javascript:"), "\(page)", sourceLocation: sourceLocation)
        #expect(!html.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x85 || (0x202a...0x202e).contains($0.value)
                    || (0x2066...0x2069).contains($0.value) },
                "\(page): a raw control or bidi character", sourceLocation: sourceLocation)
        #expect(html.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "\(page): the markup shown as text",
                sourceLocation: sourceLocation)
        #expect(html.contains("\\x1b[31mred"), "\(page): the ANSI escape made visible", sourceLocation: sourceLocation)
        #expect(html.contains("\\u{202e}gnp.exe"), "\(page): the bidi override made visible",
                sourceLocation: sourceLocation)
    }

    @Test func hostileAlertsAndIncidentsShowAsText() throws {
        let server = try ShrikeServerProcess.fresh()
        let agent = try server.token("node-1", role: "agent")
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        #expect(try server.ingest([(1, "alert", Self.hostileAlert(now: now)),
                                   (2, "incident", Self.hostileIncident(now: now))], token: agent) == 200)
        let client = ConsoleClient(server)
        try client.signIn(token: try server.token("watcher", role: "viewer"))
        let feed = try client.get("/")
        #expect(feed.status == 200)
        #expect(feed.body.contains("class=\"alert\""), "the alert is on the feed")
        Self.expectSafe(feed.body, "feed")
        #expect(feed.body.contains("href=\"/incidents/\(Self.incidentID)\""))
        let incident = try client.get("/incidents/\(Self.incidentID)")
        #expect(incident.status == 200)
        Self.expectSafe(incident.body, "incident")
        #expect(incident.body.contains("/tmp/&quot;&gt;&lt;script&gt;"), "the file path, escaped")
        #expect(try client.get("/hosts").body.contains("<script>alert") == false)
    }
}

import Foundation
import ShrikeTestSupport
import Testing
@testable import ShrikeServer

/// The console's incidents list and side-by-side view against a real `shrike server` process: incidents from several
/// hosts listed newest first (and by host), up to four opened in columns, each with its own axis and detail panels;
/// wrong requests are a 400 page naming the parameter, not a crash or an empty page.
@Suite("Console incidents side by side", .serialized)
struct ConsoleIncidentsTests {
    static let now = Int64(Date().timeIntervalSince1970 * 1e9)
    static let ids = (1...5).map(IngestFixtures.incidentID)

    /// A server with five incidents: the first three from node-1, the others from node-2, each a second apart.
    static func filled() throws -> (ShrikeServerProcess, ConsoleClient) {
        let server = try ShrikeServerProcess.fresh()
        let agent = try server.token("node-1", role: "agent")
        let records = ids.enumerated().map { index, id in
            (seq: index + 1, kind: "incident", body: IngestFixtures.incident(
                id: id, hostname: index < 3 ? "node-1" : "node-2", rule: "Rule \(index)",
                openedAt: now - Int64(10 - index) * 1_000_000_000))
        }
        #expect(try server.ingest(records, token: agent) == 200)
        let client = ConsoleClient(server)
        try client.signIn(token: try server.token("watcher", role: "viewer"))
        return (server, client)
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func theListShowsEveryIncidentNewestFirstAndFiltersByHost() throws {
        let (_, client) = try Self.filled()
        let list = try client.get("/incidents")
        #expect(list.status == 200)
        #expect(Self.count("class=\"incident-row\"", in: list.body) == 5)
        let positions = Self.ids.compactMap { list.body.range(of: "href=\"/incidents/\($0)\"")?.lowerBound }
        #expect(positions.count == 5)
        #expect(positions == positions.sorted(by: >), "newest first")
        let second = try client.get("/incidents?host=node-2")
        #expect(Self.count("class=\"incident-row\"", in: second.body) == 2)
        #expect(second.body.contains(Self.ids[4]) && !second.body.contains(Self.ids[0]))
    }

    @Test(arguments: [
        (query: "id=\(ids[0])&id=\(ids[3])", columns: 2, missing: nil as String?),
        (query: "id=\(ids[0])&id=\(ids[1])&id=\(ids[3])&id=\(ids[4])", columns: 4, missing: nil),
        (query: "id=\(ids[2])&id=\(ids[2])", columns: 1, missing: nil),
        (query: "id=\(ids[0])&id=inc-20200101-000000-abcdef", columns: 1, missing: "inc-20200101-000000-abcdef"),
    ])
    func chosenIncidentsOpenInColumns(query: String, columns: Int, missing: String?) throws {
        let (_, client) = try Self.filled()
        let page = try client.get("/incidents/compare?" + query)
        #expect(page.status == 200)
        #expect(page.body.contains("class=\"compare\""))
        #expect(Self.count("<article class=\"incident\"", in: page.body) == columns)
        #expect(Self.count("<svg class=\"axis\"", in: page.body) == columns, "each column has its own axis")
        if let missing { #expect(page.body.contains("Not stored") && page.body.contains(missing)) }
        else { #expect(!page.body.contains("Not stored")) }
        // The detail panel of each timeline entry: what the row does not show (the syscall) is in its <details>.
        #expect(Self.count("<details><summary>/usr/bin/evil</summary>", in: page.body) == columns)
        #expect(page.body.contains("<dt>syscall</dt><dd>openat</dd>"))
    }

    @Test(arguments: [
        (query: "id=not-an-incident", parameter: "id"),
        (query: (0..<5).map { "id=\(ids[$0])" }.joined(separator: "&"), parameter: "id"),
        (query: "id=%22%3E%3Cscript%3E", parameter: "id"),
    ])
    func aWrongChoiceIsA400NamingTheParameter(query: String, parameter: String) throws {
        let (_, client) = try Self.filled()
        let page = try client.get("/incidents/compare?" + query)
        #expect(page.status == 400)
        #expect(page.body.contains("<p>\(parameter): "), "the error names the parameter")
        #expect(!page.body.contains("<script>"))
    }

    /// An alert names an incident the agent has not sent yet (it sends it when it closes): its page says so and
    /// reloads itself; once the incident arrives the same address shows the timeline. Unknown ones are a 404.
    @Test func anIncidentStillOpenOnItsAgentIsAPageThatReloadsItself() throws {
        let (server, client) = try Self.filled()
        let agent = try server.token("node-3", role: "agent")
        let open = IngestFixtures.incidentID(40)
        #expect(try server.ingest([(1, "alert", IngestFixtures.alert(rule: "Rule open", hostname: "node-3", time: Self.now,
                                                                     incident: open))], token: agent) == 200)
        let pending = try client.get("/incidents/\(open)")
        #expect(pending.status == 200)
        #expect(pending.body.contains("id=\"pending\""))
        #expect(pending.body.contains("<meta http-equiv=\"refresh\" content=\"2\">"))
        #expect(pending.body.contains("node-3"))
        #expect(try client.get("/incidents/\(IngestFixtures.incidentID(41))").status == 404)
        #expect(try server.ingest([(2, "incident", IngestFixtures.incident(id: open, hostname: "node-3"))],
                                  token: agent) == 200)
        let arrived = try client.get("/incidents/\(open)")
        #expect(arrived.body.contains("<article class=\"incident\""))
        #expect(!arrived.body.contains("http-equiv=\"refresh\""))
    }

    /// The ±N s window the page states is the recorder's: from `start` to the first alert, and from the last alert
    /// to `end`; when the incident closed (later, after a quiet spell) does not shrink it.
    @Test(arguments: [
        (before: 5.0, alerts: [0.0], after: 1.0, closedAfter: 2.0, shown: "−5.0 s … +1.0 s"),
        (before: 10.0, alerts: [0.0, 3.0], after: 1.0, closedAfter: 5.0, shown: "−10.0 s … +1.0 s"),
        (before: 0.0, alerts: [0.0], after: 0.0, closedAfter: 0.0, shown: "−0.0 s … +0.0 s"),
    ])
    func theWindowIsBeforeTheFirstAlertAndAfterTheLast(before: Double, alerts: [Double], after: Double,
                                                       closedAfter: Double, shown: String) throws {
        let opened = Self.now
        func at(_ seconds: Double) -> String { IngestFixtures.rfc3339(opened + Int64(seconds * 1e9)) }
        var body = IngestFixtures.incident(id: Self.ids[0], openedAt: opened)
        var incident = body["incident"] as? [String: Any] ?? [:]
        let last = alerts.max() ?? 0
        incident["start"] = at(-before)
        incident["end"] = at(last + after)
        incident["closedAt"] = at(last + closedAfter)
        body["incident"] = incident
        body["alerts"] = alerts.map { ["time": at($0), "rule": "r", "priority": "Warning", "pid": 101] }
        let context = ConsoleIncident(body: try JSONSerialization.data(withJSONObject: body)).context
        #expect(context["window"] as? String == shown)
    }

    /// A long timeline shows the entries nearest the first alert, and all of them when asked.
    @Test func aLongTimelineShowsTheEntriesAroundTheAlertThenAllWhenAsked() throws {
        let (server, client) = try Self.filled()
        let agent = try server.token("node-4", role: "agent")
        let opened = Self.now, id = IngestFixtures.incidentID(50)
        var body = IngestFixtures.incident(id: id, openedAt: opened)
        // 3,000 entries a millisecond apart; the alert is at entry 2,000.
        body["entries"] = (0..<3000).map { index -> [String: Any] in
            ["time": IngestFixtures.rfc3339(opened + Int64(index - 2000) * 1_000_000), "lane": "file",
             "kind": "created", "pid": 101, "process": "touch", "summary": "/tmp/entry-\(index)."]
        }
        #expect(try server.ingest([(1, "incident", body)], token: agent) == 200)
        let page = try client.get("/incidents/\(id)")
        #expect(page.status == 200)
        // The table of entries (the axis above it marks every entry, up to its own bound).
        let table = page.body.components(separatedBy: "<table class=\"entries\">").last?
            .components(separatedBy: "</table>").first ?? ""
        #expect(Self.count("<tr class=\"entry", in: table) == 1000)
        #expect(table.contains("/tmp/entry-2000.") && table.contains("/tmp/entry-1500."))
        #expect(table.contains("/tmp/entry-2499.") && !table.contains("/tmp/entry-2500."))
        #expect(!table.contains("/tmp/entry-0.") && !table.contains("/tmp/entry-1499."))
        #expect(page.body.contains("href=\"/incidents/\(id)?entries=all\""))
        let all = try client.get("/incidents/\(id)?entries=all")
        #expect(Self.count("<tr class=\"entry", in: all.body) == 3000)
        #expect(!all.body.contains("entries=all"))
    }

    /// The axis marks every entry: those closer than a column share one mark whose title counts them.
    @Test(arguments: [(entries: 20_000, marks: 500), (entries: 300, marks: 300), (entries: 0, marks: 0)])
    func theAxisBinsEntriesIntoColumnsAndCountsThem(entries: Int, marks: Int) throws {
        let opened = Self.now
        var body = IngestFixtures.incident(id: Self.ids[0], openedAt: opened)
        var incident = body["incident"] as? [String: Any] ?? [:]
        incident["start"] = IngestFixtures.rfc3339(opened - 5_000_000_000)
        incident["end"] = IngestFixtures.rfc3339(opened + 5_000_000_000)
        body["incident"] = incident
        // Spread evenly over the 10 s axis, on the file lane, plus three on the process lane.
        body["entries"] = (0..<entries).map { index -> [String: Any] in
            ["time": IngestFixtures.rfc3339(opened - 5_000_000_000 + Int64(index) * (10_000_000_000 / Int64(max(entries, 1)))),
             "lane": "file", "kind": "created", "process": "touch", "summary": "/tmp/\(index)"]
        } + (0..<3).map { index in
            ["time": IngestFixtures.rfc3339(opened + Int64(index) * 1_000_000_000), "lane": "process", "kind": "exec",
             "process": "sh", "summary": "sh -c \(index)"]
        }
        let axis = try #require(ConsoleIncident(body: try JSONSerialization.data(withJSONObject: body)).axis["marks"]
                                as? [[String: Any]])
        let files = axis.filter { $0["lane"] as? String == "file" }
        #expect(files.count == marks)
        #expect(axis.filter { $0["lane"] as? String == "process" }.count == 3)
        let counted = files.reduce(0) { total, mark in
            let title = mark["title"] as? String ?? ""
            let more = title.range(of: "(and ").map { Int(title[$0.upperBound...].prefix { $0.isNumber }) ?? 0 } ?? 0
            return total + 1 + more
        }
        #expect(counted == entries, "every entry is counted on the axis")
    }

    @Test(arguments: [
        (nanoseconds: Int64(1_795_946_400_123_456_789), shown: "2026-11-29 10:00:00.123Z"),
        (nanoseconds: Int64(1_795_946_400_007_000_000), shown: "2026-11-29 10:00:00.007Z"),
        (nanoseconds: Int64(0), shown: "1970-01-01 00:00:00.000Z"),
    ])
    func timesShowInUTCToTheMillisecond(nanoseconds: Int64, shown: String) {
        #expect(ConsoleText.time(nanoseconds: nanoseconds) == shown)
    }

    @Test func noChoiceGoesBackToTheList() throws {
        let (_, client) = try Self.filled()
        let page = try client.get("/incidents/compare")
        #expect(page.status == 303)
        #expect(page.location == "/incidents")
        #expect(try client.get("/incidents?host=%3Cb%3E").status == 400)
    }
}

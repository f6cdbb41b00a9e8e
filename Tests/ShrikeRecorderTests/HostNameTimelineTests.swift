import Foundation
import Testing
import ShrikeSensor
@testable import ShrikeRecorder

/// Host names the sensor put on network events survive the flight recorder and the incident store, and the
/// timeline (terminal, JSON, HTML) shows them next to the address.
@Suite("Host names in the recorder and the timeline")
struct HostNameTimelineTests {
    typealias F = EventFixtures

    static let curl = F.process(300, ppid: 1, name: "curl", args: ["curl", "https://shop.example/"])

    static func connect(_ address: String, name: String?, port: UInt16 = 443, at time: Double) -> Event {
        var event = F.net("connect", curl, role: .destination, address: address, port: port,
                          family: address.contains(":") ? .inet6 : .inet, at: time)
        event.net?.hostName = name
        return event
    }

    static var events: [Event] {
        [
            F.exec(curl, at: 0),
            // The first connect came before any DNS answer was seen; the later ones after.
            connect("192.0.2.10", name: nil, at: 0.1),
            connect("192.0.2.10", name: "shop.example", at: 0.2),
            connect("2001:db8::10", name: "shop.example", at: 0.3),
            connect("192.0.2.99", name: nil, at: 0.4),
            F.net("accept4", curl, role: .peer, address: "198.51.100.7", port: 40000, at: 0.5),
            F.exit(curl, at: 1),
        ]
    }

    @Test func theFlightRecorderKeepsHostNames() {
        var ring = FlightRecorder()
        for event in Self.events { ring.append(event) }
        let names = ring.events().compactMap { $0.net }.map(\.hostName)
        #expect(names == [nil, "shop.example", "shop.example", nil, nil])
    }

    @Test func theStoredEventLogKeepsHostNames() throws {
        let bytes = EventLogCodec.encode(EventLog(Self.events))
        let back = try EventLogCodec.decode(bytes, what: "log").events
        #expect(back.count == Self.events.count)
        for (original, stored) in zip(Self.events, back) {
            #expect(EventFixtures.same(original, stored), "\(original.type) at \(original.time) changed")
        }
    }

    /// A log without any host name is written exactly as before host names existed, so stored incidents of
    /// earlier versions and new ones share one format.
    @Test func logsWithoutHostNamesKeepTheirFormat() throws {
        let plain = Self.events.map { event -> Event in
            var copy = event
            copy.net?.hostName = nil
            return copy
        }
        let withoutNames = EventLogCodec.encode(EventLog(plain))
        let withNames = EventLogCodec.encode(EventLog(Self.events))
        #expect(withNames.count > withoutNames.count)
        let back = try EventLogCodec.decode(withoutNames, what: "plain").events
        #expect(back.allSatisfy { $0.net?.hostName == nil })
    }

    static var timeline: Timeline {
        let summary = IncidentSummary(
            id: "inc-20261129-100000-dnsdns", openedAt: F.at(0.2), closedAt: F.at(31), windowStart: F.at(-30),
            windowEnd: F.at(30), scope: IncidentScope(kind: .processTree, container: "host", rootPID: 300,
                                                      rootCommand: "curl"),
            firstRule: "Test", priority: "Warning", alertCount: 0, eventCount: events.count, hostname: "testhost")
        let incident = StoredIncident(summary: summary, alerts: [], events: events)
        // A name learnt elsewhere fills in only where the event has none.
        return TimelineBuilder(hostNames: ["192.0.2.99": "fallback.example", "2001:db8::10": "ignored.example"])
            .build(incident)
    }

    @Test func connectionsShowTheNameSeenForTheirAddress() {
        let connections = Self.timeline.network.connections
        #expect(connections.map(\.address) == ["192.0.2.10", "2001:db8::10", "192.0.2.99"])
        // The two connects to 192.0.2.10 fold into one touch, which takes the name of the later one.
        #expect(connections.map(\.count) == [2, 1, 1])
        #expect(connections.map(\.hostName) == ["shop.example", "shop.example", "fallback.example"])
        #expect(Self.timeline.network.peers.first?.hostName == nil)
        let summaries = Self.timeline.entries.filter { $0.lane == .network }.map(\.summary)
        #expect(summaries.contains("tcp → 192.0.2.10:443 (shop.example)"))
        #expect(summaries.contains("tcp → [2001:db8::10]:443 (shop.example)"))
        #expect(summaries.contains("tcp ← 198.51.100.7:40000"))
    }

    @Test func everyRenderingShowsTheName() throws {
        let terminal = TimelineTerminalRenderer().render(Self.timeline)
        #expect(terminal.contains("192.0.2.10:443 (shop.example)"))
        let json = String(decoding: try TimelineJSONRenderer.render(Self.timeline), as: UTF8.self)
        #expect(json.contains(#""hostName" : "shop.example""#))
        let html = try TimelineHTMLRenderer.render(Self.timeline)
        #expect(html.contains("192.0.2.10:443 (shop.example)"))
    }
}

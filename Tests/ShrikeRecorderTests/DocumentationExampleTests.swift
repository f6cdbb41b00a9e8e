import Foundation
import Testing
@testable import ShrikeRecorder

/// Writes the fixture incident into a record directory for `docs/incidents.md` when SHRIKE_EXAMPLE_RECORD_DIR is set
/// (`shrike incidents show` then renders it); otherwise checks the same incident survives the store unchanged.
@Suite("Documentation example")
struct DocumentationExampleTests {
    @Test func fixtureIncidentRoundTripsThroughTheStore() throws {
        let target = ProcessInfo.processInfo.environment["SHRIKE_EXAMPLE_RECORD_DIR"]
        let directory = target ?? EventFixtures.temporaryDirectory("example")
        defer { if target == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let incident = TimelineFixtures.incident
        let store = try IncidentStore(directory: directory)
        try store.save(ClosedIncident(summary: incident.summary, alerts: incident.alerts, log: EventLog(incident.events)))
        let loaded = try store.load(id: incident.summary.id)
        let before = try TimelineJSONRenderer.render(TimelineBuilder().build(incident))
        let after = try TimelineJSONRenderer.render(TimelineBuilder().build(loaded))
        #expect(before == after)
    }
}

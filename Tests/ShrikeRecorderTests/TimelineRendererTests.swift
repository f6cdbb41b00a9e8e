import Foundation
import Testing
@testable import ShrikeRecorder

@Suite("Timeline renderers")
struct TimelineRendererTests {
    let timeline = TimelineFixtures.timeline

    @Test func terminalShowsTheListTreeAndSections() {
        let text = TimelineTerminalRenderer(color: false).render(timeline)
        #expect(text.contains("incident inc-20261129-100000-abcdef"))
        #expect(text.contains("process tree of 100 (bash)"))
        #expect(text.contains("  touch(101)"), "children are indented in the tree column")
        #expect(text.contains("created        /usr/bin/evil"))
        #expect(text.contains("FILES") && text.contains("sensitive reads:") && text.contains("NETWORK"))
        #expect(text.contains("93.184.216.34:443 (example.com)"))
        #expect(text.contains("ALERTS"))
        #expect(!text.contains("\u{1b}"), "no colour and no raw escape from the hostile file name")
        #expect(text.contains("\\x1b[31m"))
        let lines = text.split(separator: "\n")
        let write = lines.firstIndex { $0.contains("created") && $0.contains("/usr/bin/evil") }
        let alert = lines.firstIndex { $0.contains("alert") && $0.contains("Write below binary dir") }
        #expect(write != nil && alert != nil && (write ?? 0) < (alert ?? 0))
    }

    @Test func terminalColoursOnlyWhenAsked() {
        let text = TimelineTerminalRenderer(color: true).render(timeline)
        #expect(text.contains("\u{1b}[1;31m"))
        #expect(!text.contains("\u{1b}[31m@@"), "event text stays escaped with colours on")
    }

    @Test func jsonIsStableAndParses() throws {
        let bytes = try TimelineJSONRenderer.render(timeline)
        let again = try TimelineJSONRenderer.render(TimelineFixtures.timeline)
        #expect(bytes == again)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(Set(object.keys) == ["schemaVersion", "incident", "processes", "roots", "files", "network", "alerts",
                                     "entries", "entriesOmitted"])
        let incident = try #require(object["incident"] as? [String: Any])
        #expect(incident["openedAt"] as? String == "2026-11-29T10:00:00.001000000Z")
        let decoded = try JSONDecoder().decode(Timeline.self, from: Data(bytes))
        #expect(decoded.files.created.map(\.path) == timeline.files.created.map(\.path))
        #expect(decoded.incident.start == timeline.incident.start)
    }

    @Test func htmlIsSelfContainedAndEscapesHostileText() throws {
        let html = try TimelineHTMLRenderer.render(timeline)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // Exactly the page's two script elements, no external resources.
        #expect(html.components(separatedBy: "<script").count == 3)
        #expect(html.components(separatedBy: "</script>").count == 3)
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("<link"))
        #expect(html.contains("Content-Security-Policy"))
        #expect(!html.contains("<script>alert(1)"))
        #expect(html.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"))
        #expect(!html.contains("@@TITLE@@") && !html.contains("@@SCOPE@@"), "no placeholder left unreplaced")
        // The embedded data is the timeline's JSON.
        let start = try #require(html.range(of: "id=\"timeline-data\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let data = Data(String(html[start.upperBound..<end.lowerBound]).utf8)
        let decoded = try JSONDecoder().decode(Timeline.self, from: data)
        #expect(decoded.files.created.last?.path == TimelineFixtures.hostile)
    }

    @Test func htmlEscapesHostileRuleNamesInTheHeader() throws {
        var incident = TimelineFixtures.incident
        incident.summary.firstRule = "<img src=x onerror=alert(1)> @@DATA@@"
        let html = try TimelineHTMLRenderer.render(TimelineBuilder().build(incident))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt; &#64;&#64;DATA&#64;&#64;"))
    }
}

import Foundation
import Testing
@testable import ShrikeRecorder

/// Opens the HTML export in Debian's chromium (headless): the page's script must build the lanes, and a screenshot is
/// kept as an artifact.
@Suite("HTML export in a browser", .enabled(if: Chromium.path != nil, "chromium is not installed (apt-get install chromium, or make test-deps)"))
struct HTMLBrowserTests {
    static var chromium: String? { Chromium.path }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium ?? "/usr/bin/chromium")
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--no-first-run", "--user-data-dir=" + EventFixtures.temporaryDirectory("chromium-profile")]
            + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func rendersLanesAndTakesAScreenshot() throws {
        let directory = EventFixtures.temporaryDirectory("html")
        let page = directory + "/incident.html"
        try Data(try TimelineHTMLRenderer.render(TimelineFixtures.timeline).utf8).write(to: URL(fileURLWithPath: page))

        let dom = try Self.run(["--virtual-time-budget=3000", "--dump-dom", "file://" + page])
        #expect(dom.status == 0)
        // Elements the page's script made from the data (the static HTML has none of these).
        #expect(dom.output.contains("data-lane=\"process\""))
        #expect(dom.output.contains("data-lane=\"file\""))
        #expect(dom.output.contains("data-lane=\"network\""))
        #expect(dom.output.contains("data-lane=\"alert\""))
        #expect(dom.output.components(separatedBy: "class=\"bar").count - 1 == TimelineFixtures.timeline.processes.count)
        // The hostile file name is text in the entry table, not markup.
        #expect(dom.output.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!dom.output.contains("<script>alert(1)"))

        let screenshot = directory + "/incident.png"
        let shot = try Self.run(["--window-size=1400,900", "--virtual-time-budget=3000", "--screenshot=" + screenshot,
                                 "file://" + page])
        #expect(shot.status == 0)
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.count > 10_000)
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4e, 0x47])
        print("HTML export screenshot: \(screenshot)")
    }
}

enum Chromium {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}

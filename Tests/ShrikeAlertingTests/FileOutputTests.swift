import Foundation
import Testing
import ShrikeCore
import ShrikeRules
@testable import ShrikeAlerting

/// The JSON-lines file output: appends, creates 0600, and reopens the path after rotation (method and SIGHUP).
@Suite(.serialized)
struct FileOutputTests {
    private func lines(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test("alerts are appended as JSON lines to a file created with mode 0600")
    func appendsWithMode0600() throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/alerts.json"
        try "{\"earlier\":true}\n".write(toFile: directory + "/existing.json", atomically: false, encoding: .utf8)

        let output = try JSONLinesFileAlertOutput(path: path, reopenSignal: nil)
        output.emit(AlertFixtures.alert(rule: "one"))
        output.emit(AlertFixtures.alert(rule: "two"))
        output.flush()
        let written = lines(path)
        #expect(written.count == 2)
        #expect(try AlertFixtures.jsonObject(written[0])["rule"] as? String == "one")
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        output.close()

        // An existing file is appended to, not truncated.
        let again = try JSONLinesFileAlertOutput(path: directory + "/existing.json", reopenSignal: nil)
        again.emit(AlertFixtures.alert(rule: "three"))
        again.close()
        #expect(lines(directory + "/existing.json").count == 2)
        #expect(again.statistics().sent == 1)
    }

    @Test("a path that cannot be opened is an error naming it")
    func unopenable() {
        #expect {
            _ = try JSONLinesFileAlertOutput(path: "/nonexistent-dir-shrike/alerts.json", reopenSignal: nil)
        } throws: { error in
            (error as? ShrikeError)?.input == "/nonexistent-dir-shrike/alerts.json"
        }
    }

    @Test("after rotation (rename) reopen() sends new alerts to a new file at the path")
    func reopenMethod() throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/alerts.json"
        let output = try JSONLinesFileAlertOutput(path: path, reopenSignal: LogReopenSignal())
        output.emit(AlertFixtures.alert(rule: "before"))
        output.flush()
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        output.emit(AlertFixtures.alert(rule: "still-old"))
        output.reopen()
        output.emit(AlertFixtures.alert(rule: "after"))
        output.close()
        #expect(lines(path + ".1").count == 2, "written before reopen: the renamed file")
        #expect(lines(path).count == 1)
        #expect(try AlertFixtures.jsonObject(lines(path)[0])["rule"] as? String == "after")
    }

    @Test("a reopen request (what SIGHUP sends) is seen before the next write")
    func reopenRequest() throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/alerts.json"
        let signal = LogReopenSignal()
        let output = try JSONLinesFileAlertOutput(path: path, reopenSignal: signal)
        output.emit(AlertFixtures.alert(rule: "before"))
        output.flush()
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        signal.requestReopen()
        output.emit(AlertFixtures.alert(rule: "after"))
        output.close()
        #expect(lines(path + ".1").count == 1)
        #expect(lines(path).count == 1)
    }

    @Test("a real SIGHUP to this process reopens the file", .timeLimit(.minutes(1)))
    func sighup() throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/alerts.json"
        let signal = LogReopenSignal()
        // The handler first: SIGHUP's default action would end the test process.
        signal.installSignalHandler()
        defer { signal.cancelSignalHandler() }
        let output = try JSONLinesFileAlertOutput(path: path, reopenSignal: signal)
        output.emit(AlertFixtures.alert(rule: "before"))
        output.flush()
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")

        let generation = signal.generation
        // libdispatch installs its handler asynchronously after `resume()`; until it has, an (ignored) SIGHUP is
        // discarded. Send again every 100 ms until the handler counts one; the 10 s bound stays.
        let deadline = Date().addingTimeInterval(10)
        var lastSent = Date.distantPast
        while signal.generation == generation && Date() < deadline {
            if Date().timeIntervalSince(lastSent) >= 0.1 {
                kill(getpid(), SIGHUP)
                lastSent = Date()
            }
            usleep(10_000)
        }
        #expect(signal.generation > generation, "the SIGHUP handler ran")

        output.emit(AlertFixtures.alert(rule: "after"))
        output.close()
        #expect(lines(path + ".1").count == 1)
        #expect(try AlertFixtures.jsonObject(try #require(lines(path).first))["rule"] as? String == "after")
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600, "the reopened file is 0600 too")
    }

    @Test("format=text writes Falco's text lines instead")
    func textFormat() throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = try JSONLinesFileAlertOutput(path: directory + "/a.log", format: .text, reopenSignal: nil)
        output.emit(AlertFixtures.alert(output: "x"))
        output.close()
        #expect(lines(directory + "/a.log") == ["10:00:00.123456789: Error x"])
    }
}

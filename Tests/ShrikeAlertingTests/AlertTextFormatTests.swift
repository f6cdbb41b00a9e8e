import Foundation
import Testing
import ShrikeRules
@testable import ShrikeAlerting

/// Falco's text line (`HH:MM:SS.nnnnnnnnn: Priority Output`) and when it is coloured.
struct AlertTextFormatTests {
    @Test("the line is the time of day with nanoseconds, the priority and the output, like Falco's stdout")
    func line() {
        let line = AlertTextFormatter().format(AlertFixtures.alert(priority: .warning, output: "Sensitive file opened"))
        #expect(line == "10:00:00.123456789: Warning Sensitive file opened")
    }

    @Test("folded and filed alerts say so at the end")
    func countAndIncident() {
        let formatter = AlertTextFormatter()
        #expect(formatter.format(AlertFixtures.alert(output: "x", count: 5)) == "10:00:00.123456789: Error x (count=5)")
        #expect(formatter.format(AlertFixtures.alert(output: "x", count: 2, incident: "inc-7"))
                == "10:00:00.123456789: Error x (count=2 incident=inc-7)")
    }

    @Test("each priority prints Falco's name", arguments: RulePriority.allCases)
    func priorityNames(_ priority: RulePriority) {
        let line = AlertTextFormatter().format(AlertFixtures.alert(priority: priority, output: "o"))
        #expect(line == "10:00:00.123456789: \(priority.name) o")
    }

    @Test("colour wraps only the priority word, in the priority's colour")
    func colour() {
        let line = AlertTextFormatter(color: true).format(AlertFixtures.alert(priority: .critical, output: "o"))
        #expect(line == "10:00:00.123456789: \u{1b}[1;31mCritical\u{1b}[0m o")
        let warning = AlertTextFormatter(color: true).format(AlertFixtures.alert(priority: .warning, output: "o"))
        #expect(warning.contains("\u{1b}[33mWarning\u{1b}[0m"))
        #expect(!AlertTextFormatter(color: false).format(AlertFixtures.alert()).contains("\u{1b}"))
    }

    @Test("colour only on a terminal and never with NO_COLOR", arguments: [
        (true, [String: String](), true),
        (false, [String: String](), false),
        (true, ["NO_COLOR": "1"], false),
        (true, ["NO_COLOR": ""], false),
        (false, ["NO_COLOR": "1"], false),
        (true, ["TERM": "xterm"], true),
    ])
    func colourPolicy(_ isTerminal: Bool, _ environment: [String: String], _ expected: Bool) {
        #expect(AlertColorPolicy.useColor(isTerminal: isTerminal, environment: environment) == expected)
    }

    @Test("a pipe is not a terminal, so stdout alerts piped elsewhere are never coloured")
    func pipeIsNotATerminal() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(!AlertColorPolicy.useColor(fd: fds[1], environment: [:]))
    }

    @Test("stdout:json ignores colour: JSON lines never carry escape codes")
    func jsonNeverColoured() {
        var encoder = AlertLineEncoder(format: .json, color: true)
        let line = String(decoding: encoder.line(AlertFixtures.alert()), as: UTF8.self)
        #expect(!line.contains("\u{1b}"))
        #expect(line.hasSuffix("}\n"))
    }
}

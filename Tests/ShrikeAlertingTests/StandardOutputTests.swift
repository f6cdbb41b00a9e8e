import Foundation
import Testing
import ShrikeRules
@testable import ShrikeAlerting

/// The stdout output writes each alert as soon as it is emitted, one line per write, and stops on a closed pipe.
struct StandardOutputTests {
    /// Reads what is in the pipe now (non-blocking).
    private func drain(_ fd: Int32) -> String {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("every alert is in the pipe right after flush, one line each, nothing held back")
    func linePerAlert() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let output = StandardOutputAlertOutput(format: .text, fd: fds[1])
        output.emit(AlertFixtures.alert(output: "first"))
        output.flush()
        #expect(drain(fds[0]) == "10:00:00.123456789: Error first\n")
        output.emit(AlertFixtures.alert(priority: .notice, output: "second"))
        output.flush()
        #expect(drain(fds[0]) == "10:00:00.123456789: Notice second\n")
        #expect(output.statistics().sent == 2)
    }

    @Test("stdout:json writes one JSON object per line")
    func jsonLines() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let output = StandardOutputAlertOutput(format: .json, fd: fds[1])
        #expect(output.name == "stdout:json")
        output.emit(AlertFixtures.alert())
        output.emit(AlertFixtures.alert(rule: "other"))
        output.close()
        let lines = drain(fds[0]).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(try AlertFixtures.jsonObject(String(lines[1]))["rule"] as? String == "other")
        output.emit(AlertFixtures.alert())
        #expect(output.statistics().emitted == 2, "nothing is taken after close")
    }

    @Test("a reader that went away ends the output instead of the process")
    func closedPipe() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        close(fds[0])
        defer { close(fds[1]) }
        let output = StandardOutputAlertOutput(format: .text, fd: fds[1])
        output.emit(AlertFixtures.alert())
        output.flush()
        #expect(output.outputClosed)
        #expect(output.statistics().failed == 1)
    }
}

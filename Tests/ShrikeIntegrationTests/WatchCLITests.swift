import Foundation
import ShrikeTestSupport
import Testing

/// `shrike watch --events` run as a user runs it: a background process whose JSON lines are read back.
@Suite("shrike watch --events", .serialized)
struct WatchCLITests {
    static let sensorAvailable = geteuid() == 0 && FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux")

    @Test func eventsAndRulesTogetherAreAUsageError() throws {
        let run = try ShrikeBinary.run(["watch", "--events", "--rules", "x.yaml"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--events"))
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stdout.isEmpty)
    }

    @Test func aMissingRuleFileIsNamed() throws {
        let run = try ShrikeBinary.run(["watch", "--rules", "/nonexistent/rules.yaml", "--duration", "1"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("/nonexistent/rules.yaml"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func aBrokenRuleFileNamesFileAndLine() throws {
        let dir = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/broken.yaml"
        try "- rule: Broken\n  desc: d\n  condition: proc.nmae = sh\n  output: o\n  priority: WARNING\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let run = try ShrikeBinary.run(["watch", "--rules", path, "--duration", "1"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("broken.yaml:"))
        #expect(run.stderr.contains("proc.nmae"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test(.enabled(if: sensorAvailable, "needs root and kernel BTF to load the eBPF sensor"))
    func unknownEventTypeIsNamed() throws {
        let run = try ShrikeBinary.run(["watch", "--events", "--type", "openat,frobnicate", "--duration", "1"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("frobnicate"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test(.enabled(if: sensorAvailable, "needs root and kernel BTF to load the eBPF sensor"), .timeLimit(.minutes(1)))
    func jsonLinesOfARealCommand() throws {
        let path = try #require(ShrikeBinary.path, "the shrike executable is not built")
        let dir = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: path)
        watch.arguments = ["watch", "--events", "--json", "--duration", "3", "--type", "execve,openat"]
        watch.standardOutput = FileManager.default.createFile(atPath: dir + "/out.jsonl", contents: nil)
            ? FileHandle(forWritingAtPath: dir + "/out.jsonl") : nil
        let stderr = Pipe()
        watch.standardError = stderr
        try watch.run()
        // Wait for the ready line before acting.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("watching") {
            let chunk = stderr.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        let cat = Process()
        cat.executableURL = URL(fileURLWithPath: "/bin/cat")
        cat.arguments = ["/etc/hostname"]
        cat.standardOutput = FileHandle.nullDevice
        try cat.run()
        cat.waitUntilExit()
        watch.waitUntilExit()
        let rest = stderr.fileHandleForReading.readDataToEndOfFile()
        #expect(watch.terminationStatus == 0)
        #expect(String(decoding: seen + rest, as: UTF8.self).contains("drops=0"))

        let text = try String(contentsOfFile: dir + "/out.jsonl", encoding: .utf8)
        var sawExec = false, sawOpen = false
        for line in text.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                                      "not a JSON object: \(line)")
            let type = object["type"] as? String
            #expect(type == "execve" || type == "openat")
            let proc = try #require(object["proc"] as? [String: Any])
            guard (proc["pid"] as? Int).map(Int32.init) == cat.processIdentifier else { continue }
            if type == "execve" {
                sawExec = proc["exe"] as? String == "/bin/cat" && proc["cmdline"] as? String == "/bin/cat /etc/hostname"
            }
            if type == "openat", (object["file"] as? [String: Any])?["path"] as? String == "/etc/hostname" {
                sawOpen = (object["file"] as? [String: Any])?["flags"] as? String == "O_RDONLY"
                    && (proc["container"] as? [String: Any])?["id"] as? String == "host"
            }
        }
        #expect(sawExec)
        #expect(sawOpen)
    }
}

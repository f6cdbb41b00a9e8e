import Foundation
import ShrikeCore
import Testing
@testable import ShrikeSensor

/// The JSON lines of `watch --events --json` read back into events (replay and benchmarks depend on it).
struct EventJSONDecoderTests {
    static let container = ContainerInfo(fullID: String(repeating: "ab", count: 32), name: "web",
                                         image: "docker.io/library/nginx:1.27", runtime: "podman")

    static func process(_ container: ContainerInfo = .host) -> ProcessSnapshot {
        ProcessSnapshot(pid: 42, tid: 43, ppid: 1, uid: 1000, gid: 100, loginuid: 1000, name: "cat", exe: "/usr/bin/cat",
                        args: ["cat", "/etc/hostname"], cwd: "/home/me", tty: 34816, container: container,
                        exeFromMemfd: true)
    }

    static let events: [Event] = [
        Event(time: 1_795_000_000_123_456_789, type: "openat", category: .file, ret: 3, process: process(),
              file: FileActivity(path: "/etc/shadow", flags: OpenFlags.writeOnly | OpenFlags.create | OpenFlags.truncate,
                                 mode: 0o644, fd: 3, rawPath: "../etc/shadow")),
        Event(time: 1_795_000_001_000_000_000, type: "connect", category: .network, ret: -115, process: process(container),
              net: NetworkActivity(family: .inet6, role: .destination, address: "2001:db8::1", port: 443, socketType: 1, fd: 5,
                                   hostName: "v6.shrike.example")),
        Event(time: 1_795_000_002_000_000_001, type: "renameat2", category: .file, ret: 0, process: process(),
              file: FileActivity(path: "/tmp/a \"quoted\"", target: "/usr/bin/b")),
        Event(time: 1_795_000_003_000_000_000, type: "accept4", category: .network, ret: 7, process: process(),
              net: NetworkActivity(family: .inet, role: .peer, address: "10.0.0.9", port: 51234, socketType: 1, fd: 7),
              arguments: ["flags": "0"]),
    ]

    @Test func roundTripThroughTheEncoder() throws {
        var encoder = EventJSONEncoder()
        let text = Self.events.map { encoder.encode($0) }.joined(separator: "\n") + "\n\n"
        let decoded = try EventJSONDecoder().decode(lines: text)
        #expect(decoded.count == Self.events.count)
        for (original, back) in zip(Self.events, decoded) {
            #expect(back.time == original.time)
            #expect(back.type == original.type)
            #expect(back.category == original.category)
            #expect(back.ret == original.ret)
            #expect(back.process == original.process)
            #expect(back.file == original.file)
            #expect(back.net == original.net)
            #expect(back.arguments == original.arguments)
        }
    }

    @Test(arguments: ["not json", #"{"type":"openat"}"#, #"{"time":"yesterday","type":"x","proc":{}}"#])
    func badLinesNameTheirNumber(_ line: String) {
        #expect {
            _ = try EventJSONDecoder().decode(lines: "\n" + line)
        } throws: { error in
            (error as? ShrikeError)?.message.hasPrefix("line 2:") == true
        }
    }

    @Test(arguments: [("2026-11-29T10:00:00.123456789Z", UInt64(1_795_946_400_123_456_789)),
                      ("2026-11-29T10:00:00Z", UInt64(1_795_946_400_000_000_000)),
                      ("2026-11-29T10:00:00.5Z", UInt64(1_795_946_400_500_000_000))])
    func timestamps(text: String, nanoseconds: UInt64) {
        #expect(EventJSONDecoder.parseTime(text) == nanoseconds)
        #expect(EventJSONEncoder.timestamp(nanoseconds).hasPrefix(String(text.prefix(19))))
    }
}

import Foundation
import Testing
@testable import ShrikeSensor

@Suite("Event output")
struct EventOutputTests {
    static let process = ProcessSnapshot(
        pid: 42, tid: 43, ppid: 1, uid: 1000, gid: 1000, loginuid: 1000, name: "we\"ird", exe: "/usr/bin/x",
        args: ["x", "a\nb"], cwd: "/home/u", tty: 34816,
        container: ContainerInfo(fullID: String(repeating: "ab", count: 32), name: "web", image: "nginx:1",
                                 runtime: "podman"))

    @Test func jsonHasTheDesignShapeAndParses() throws {
        let event = Event(time: 1_795_946_400_123_456_789, type: "openat", category: .file, ret: 3,
                          process: Self.process, file: FileActivity(path: "/usr/bin/x", flags: 0o101, mode: 0o755, fd: 3))
        var encoder = EventJSONEncoder()
        let line = encoder.encode(event)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["time"] as? String == "2026-11-29T10:00:00.123456789Z")
        #expect(object["type"] as? String == "openat")
        #expect(object["ret"] as? Int == 3)
        let proc = try #require(object["proc"] as? [String: Any])
        #expect(proc["name"] as? String == "we\"ird")
        #expect(proc["cmdline"] as? String == "x a\nb")
        #expect(proc["pid"] as? Int == 42)
        let container = try #require(proc["container"] as? [String: Any])
        #expect(container["id"] as? String == "abababababab")
        #expect(container["image"] as? String == "nginx:1")
        let file = try #require(object["file"] as? [String: Any])
        #expect(file["flags"] as? String == "O_WRONLY|O_CREAT")
        #expect(file["mode"] as? String == "0755")
        #expect(object["net"] == nil)
    }

    @Test func networkKeysFollowTheRole() throws {
        for (role, key) in [(NetworkActivity.Role.destination, "dst"), (.peer, "src"), (.local, "local")] {
            let event = Event(time: 0, type: "connect", category: .network, ret: 0, process: Self.process,
                              net: NetworkActivity(family: .inet6, role: role, address: "::1", port: 80, socketType: 1))
            var encoder = EventJSONEncoder()
            let line = encoder.encode(event)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let net = try #require(object["net"] as? [String: Any])
            #expect(net[key] as? String == "[::1]:80")
            #expect(net["transport"] as? String == "tcp")
        }
    }

    @Test func aHostNameFromDNSIsShownNextToTheAddress() throws {
        let event = Event(time: 0, type: "connect", category: .network, ret: 0, process: Self.process,
                          net: NetworkActivity(family: .inet, role: .destination, address: "192.0.2.77", port: 443,
                                               socketType: 1, fd: 3, hostName: "shop.example"))
        var encoder = EventJSONEncoder()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(encoder.encode(event).utf8)) as? [String: Any])
        let net = try #require(object["net"] as? [String: Any])
        #expect(net["dst"] as? String == "192.0.2.77:443")
        #expect(net["host"] as? String == "shop.example")
        #expect(EventLineFormatter().format(event).contains("connect tcp 192.0.2.77:443 (shop.example) = 0"))
        var unnamed = event
        unnamed.net?.hostName = nil
        let plain = try #require(try JSONSerialization.jsonObject(with: Data(encoder.encode(unnamed).utf8)) as? [String: Any])
        #expect((plain["net"] as? [String: Any])?["host"] == nil)
    }

    @Test func timestampsAcrossSecondsAndEscapes() throws {
        var encoder = EventJSONEncoder()
        var times: [String] = []
        for time: UInt64 in [1_795_946_400_000_000_007, 1_795_946_400_999_999_999, 1_795_946_401_000_000_000] {
            let event = Event(time: time, type: "exit", category: .process, ret: -1, process: Self.process,
                              arguments: ["note": "tab\there \u{1}"])
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(encoder.encode(event).utf8)) as? [String: Any])
            times.append(object["time"] as? String ?? "")
            #expect(object["ret"] as? Int == -1)
            #expect((object["args"] as? [String: String])?["note"] == "tab\there \u{1}")
        }
        #expect(times == ["2026-11-29T10:00:00.000000007Z", "2026-11-29T10:00:00.999999999Z",
                          "2026-11-29T10:00:01.000000000Z"])
    }

    @Test func readableLineNamesProcessContainerAndResult() {
        let event = Event(time: 0, type: "unlinkat", category: .file, ret: -13, process: Self.process,
                          file: FileActivity(path: "/etc/shadow"))
        let line = EventLineFormatter().format(event)
        #expect(line.contains("we\"ird[42] (web) unlinkat /etc/shadow = -13 (Permission denied)"))
    }
}

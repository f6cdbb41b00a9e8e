import Testing
import ShrikeSensor
@testable import ShrikeRecorder

@Suite("Interning")
struct InterningTests {
    typealias F = EventFixtures

    static func sampleEvents() -> [Event] {
        let web = F.process(4242, ppid: 4000, name: "nginx", args: ["nginx", "-g", "daemon off;"], uid: 101,
                            container: F.web, cwd: "/")
        var custom = F.process(77, ppid: 1, name: "weird", args: ["a b", "", "c\u{1}d"])
        custom.cmdline = "not derived"
        return [
            F.exec(web, at: 0),
            F.open(web, "/etc/nginx/nginx.conf", flags: 0o2000000, at: 0.1),
            F.open(web, "/var/log/nginx/access.log", flags: 0o2101, mode: 0o640, ret: 70_000, at: 0.2),
            F.file("renameat2", web, "/tmp/a", target: "/tmp/b", arguments: ["flags": "1"], at: 0.3),
            F.net("connect", web, role: .destination, address: "2001:db8::1", port: 443, family: .inet6, at: 0.4),
            F.net("accept4", web, role: .peer, address: "10.0.0.7", port: 51000, fd: 9, at: 0.5),
            F.net("bind", web, role: .local, address: "/run/x.sock", port: nil, family: .unix, socketType: 1, at: 0.6),
            Event(time: F.at(0.7), type: "socket", category: .network, ret: -97, process: web,
                  net: NetworkActivity(family: .other(42), role: .socket, socketType: 2, fd: nil),
                  arguments: ["protocol": "0"]),
            F.exit(custom, code: 3, at: 0.8),
            Event(time: F.at(0.9), type: "kill", category: .other, ret: Int64(Int32.min) - 5, process: custom,
                  arguments: ["target_pid": "1", "signal": "9"]),
        ]
    }

    @Test func eventsComeBackAsTheyWent() {
        var ring = FlightRecorder()
        let events = Self.sampleEvents()
        for event in events { ring.append(event) }
        let back = ring.events()
        #expect(back.count == events.count)
        // Everything, including return values beyond 32 bits.
        for (original, stored) in zip(events, back) {
            #expect(F.same(original, stored), "\(original.type) changed: \(stored)")
        }
    }

    @Test func repeatedStringsAreStoredOnce() {
        var ring = FlightRecorder()
        let shell = F.process(100, ppid: 1, name: "bash", args: ["bash", "--login"])
        for index in 0..<1000 { ring.append(F.open(shell, "/etc/passwd", ret: Int64(index % 50), at: Double(index) / 1000)) }
        #expect(ring.tables.processes.count == 1)
        #expect(ring.tables.details.count == 1, "one detail for every fd number")
        let strings = ring.tables.strings.enumerated().map(\.value)
        #expect(strings.filter { $0 == "/etc/passwd" }.count == 1)
    }

    @Test func evictionFreesStringsNoRecordUses() {
        var ring = FlightRecorder(window: 1, maxBytes: 64 << 20)
        let shell = F.process(100, ppid: 1, name: "bash")
        for index in 0..<100 { ring.append(F.open(shell, "/data/file-\(index)", at: Double(index) * 0.1)) }
        let paths = ring.tables.strings.enumerated().map(\.value).filter { $0.hasPrefix("/data/") }
        // Only the files of the last second (11 events: 8.9 … 9.9 s) are still referenced.
        #expect(paths.count == ring.count)
        #expect(ring.count == 11)
        #expect(Set(paths) == Set((89..<100).map { "/data/file-\($0)" }))
        #expect(ring.tables.details.count == 11)
    }

    @Test func internTableReusesFreedIDs() {
        var table = InternTable<String>()
        let a = table.retain("alpha").id
        let b = table.retain("beta").id
        let again = table.retain("alpha")
        #expect(again.id == a && !again.inserted)
        #expect(table.release(a) == nil)
        #expect(table.release(a) == "alpha")
        #expect(table[a] == nil)
        let c = table.retain("gamma").id
        #expect(c == a)
        #expect(table[b] == "beta")
        #expect(table.count == 2)
        #expect(table.release(0) == nil)
    }
}

import Foundation
import ShrikeTestSupport
import Testing
@testable import ShrikeSensor

/// DNS answers captured by the cgroup_skb program on this kernel: a client resolves a name through a test server
/// (in a private mount namespace, so the host's resolver is untouched) and connects to the address; the sensor's
/// connect event carries the name it asked for.
@Suite("DNS answer capture on this kernel", .serialized,
       .enabled(if: SensorPreflight.unavailableReason() == nil,
                "needs root and a kernel with BTF (the eBPF sensor); run as root on Linux 5.11+"),
       .enabled(if: TestDNSServer.unavailableReason == nil, "needs python3, unshare, mount, getent, bash and timeout"),
       .timeLimit(.minutes(2)))
struct DNSCaptureLiveTests {
    /// Runs the lookup and the connect under a sensor and returns the connect events to the test address, the
    /// sensor's statistics and what getent printed.
    static func connects(captureDNS: Bool, ipv6: Bool = false) throws
        -> (connects: [Event], statistics: SensorStatistics, lookup: String, sensor: Sensor) {
        let server = try TestDNSServer(ipv6: ipv6)
        let target = ipv6 ? TestDNSServer.address6 : TestDNSServer.address
        let sensor = try Sensor(configuration: SensorConfiguration(syscalls: ["connect"], captureDNS: captureDNS))
        let sink = CollectingSink()
        try sensor.start(sink: sink)
        defer { sensor.stop() }
        let lookupFile = server.directory + "/lookup.txt"
        _ = try SensorLiveTests.run(try server.resolvingCommand(
            TestDNSServer.lookupAndConnect(lookupOutput: lookupFile, ipv6: ipv6)))
        let deadline = Date().addingTimeInterval(10)
        func found() -> [Event] { sink.snapshot.filter { $0.type == "connect" && $0.net?.address == target } }
        while found().isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        sensor.stop()
        let lookup = (try? String(contentsOfFile: lookupFile, encoding: .utf8)) ?? ""
        return (found(), sensor.statistics(), lookup, sensor)
    }

    @Test func aConnectAfterALookupCarriesTheNameTheClientAskedFor() throws {
        let (connects, statistics, lookup, sensor) = try Self.connects(captureDNS: true)
        #expect(sensor.capturesDNS, "the DNS program was not attached: \(sensor.hostNamesUnavailableReason ?? "")")
        #expect(lookup.contains(TestDNSServer.address), "getent did not resolve through the test server: '\(lookup)'")
        let connect = try #require(connects.first, "no connect to \(TestDNSServer.address) was seen")
        // Through the CNAME: the name asked for, not the alias that holds the address.
        #expect(connect.net?.hostName == TestDNSServer.name)
        #expect(connect.net?.port == 80)
        #expect((statistics.dnsAnswers ?? 0) >= 1)
        #expect(statistics.malformed == 0)
    }

    /// The answer arrives over IPv6 (server on ::1) and names an IPv6 address.
    @Test func anAAAAAnswerOverIPv6NamesAnIPv6Connect() throws {
        let (connects, statistics, lookup, _) = try Self.connects(captureDNS: true, ipv6: true)
        #expect(lookup.contains(TestDNSServer.address6), "getent did not resolve through the test server: '\(lookup)'")
        let connect = try #require(connects.first, "no connect to \(TestDNSServer.address6) was seen")
        #expect(connect.net?.family == .inet6)
        #expect(connect.net?.hostName == TestDNSServer.name)
        #expect((statistics.dnsAnswers ?? 0) >= 1)
    }

    @Test func withoutDNSCaptureThereIsNoName() throws {
        let (connects, statistics, _, sensor) = try Self.connects(captureDNS: false)
        #expect(!sensor.capturesDNS)
        #expect(sensor.hostNamesUnavailableReason == nil)
        let connect = try #require(connects.first, "no connect to \(TestDNSServer.address) was seen")
        #expect(connect.net?.hostName == nil)
        #expect(statistics.dnsAnswers == nil)
    }

    /// The program hangs off the cgroup2 root through a bpf_link: it is there while the sensor lives and gone when
    /// the sensor is released (as it would be if the process died), so nothing is left attached.
    @Test(.enabled(if: ExternalTool.find("bpftool") != nil, "bpftool lists cgroup programs; install bpftool"))
    func theProgramIsDetachedWithTheSensor() throws {
        let root = try #require(Cgroup2Mount.current(), "no cgroup2 mount")
        func attached() throws -> Set<Int> {
            let result = try ExternalTool.run(["bpftool", "-j", "cgroup", "show", root])
            let list = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [[String: Any]] ?? []
            return Set(list.filter { $0["name"] as? String == "shrike_dns_ingress" }.compactMap { $0["id"] as? Int })
        }
        // Other tests (a `shrike watch`) may attach their own copy meanwhile: look for this sensor's program only.
        var sensor: Sensor? = try Sensor(configuration: SensorConfiguration(syscalls: ["connect"], captureDNS: true))
        let id = try #require(sensor?.dnsProgramID, "the sensor loaded no DNS program")
        let ours: Set<Int> = [Int(id)]
        #expect(try attached().isSuperset(of: ours), "program \(id) is not attached to \(root)")
        #expect(sensor?.capturesDNS == true)
        sensor = nil
        let deadline = Date().addingTimeInterval(5)
        while try !attached().isDisjoint(with: ours), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try attached().isDisjoint(with: ours), "the DNS program stayed attached after the sensor was released")
    }
}
